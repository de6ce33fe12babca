export { adam } from './adam'
export { col2im, gemm, gemmNT, im2col, maxPool, maxPoolGrad, transposeGrad } from './conv'
export { pixelDenseScore, pixelDenseStep } from './dense'
export { convStackStep } from './conv-step'
