// Adam's update for one variable, four weights at a time; `bytes` is a multiple of 16 (the caller
// does the tail). m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², out ← x − rate·m/(√v + ε), with both
// bias corrections folded into `rate` and `epsilon` by the caller. m and v are updated in place.
export function adam(
  x: usize,
  g: usize,
  out: usize,
  m: usize,
  v: usize,
  bytes: usize,
  beta1: f32,
  keep1: f32,
  beta2: f32,
  keep2: f32,
  rate: f32,
  epsilon: f32,
): void {
  const b1 = f32x4.splat(beta1)
  const k1 = f32x4.splat(keep1)
  const b2 = f32x4.splat(beta2)
  const k2 = f32x4.splat(keep2)
  const r = f32x4.splat(rate)
  const e = f32x4.splat(epsilon)
  for (let i: usize = 0; i < bytes; i += 16) {
    const gi = v128.load(g + i)
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), b1), f32x4.mul(gi, k1))
    v128.store(m + i, mi)
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), b2), f32x4.mul(f32x4.mul(gi, gi), k2))
    v128.store(v + i, vi)
    const step = f32x4.div(f32x4.mul(mi, r), f32x4.add(f32x4.sqrt(vi), e))
    v128.store(out + i, f32x4.sub(v128.load(x + i), step))
  }
}
