export { adam } from './adam'
export { col2im, gemm, gemmNT, im2col, maxPool, maxPoolGrad, transposeGrad } from './conv'
export { denseScore, denseStep, pixelDenseScore, pixelDenseStep } from './dense'
export { convStackScore, convStackStep } from './conv-step'
