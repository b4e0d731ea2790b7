/**
 * Row geometry of a virtualized list with variable heights: measured heights
 * where known, an estimate elsewhere, and prefix offsets recomputed lazily
 * from the first changed row. Appending rows or measuring near the end costs
 * little, which is the common case for a streaming transcript.
 */
export class HeightIndex {
  private heights: number[] = [];
  /** offsets[i] = top of row i; offsets[count] = total height. */
  private offsets: number[] = [0];
  private dirtyFrom = 0;

  constructor(readonly estimatePx = 80) {}

  get count(): number {
    return this.heights.length;
  }

  /** Grows or shrinks to `n` rows; new rows use the estimate until measured. */
  setCount(n: number): void {
    const old = this.heights.length;
    if (n === old) return;
    if (n < old) this.heights.length = n;
    else for (let i = old; i < n; i++) this.heights.push(-1);
    this.offsets.length = Math.min(this.offsets.length, n + 1);
    this.dirtyFrom = Math.min(this.dirtyFrom, Math.min(n, old));
  }

  /**
   * Moves the list's front by `d` rows: drops the first `d` rows' heights
   * (`d > 0`, rows trimmed away) or puts `-d` unmeasured rows in front
   * (`d < 0`, an older page came in). Rows after keep their measured heights.
   */
  shiftFront(d: number): void {
    if (d === 0) return;
    if (d > 0) this.heights.splice(0, d);
    else this.heights.unshift(...new Array<number>(-d).fill(-1));
    this.offsets = [0];
    this.dirtyFrom = 0;
  }

  /** Records a measured height; returns the change in px (0 when unchanged or out of range). */
  setHeight(i: number, px: number): number {
    if (i < 0 || i >= this.heights.length || px <= 0) return 0;
    const before = this.heightOf(i);
    if (this.heights[i] === px) return 0;
    this.heights[i] = px;
    this.dirtyFrom = Math.min(this.dirtyFrom, i);
    return px - before;
  }

  /** Height of row i, measured or estimated. */
  heightOf(i: number): number {
    const h = this.heights[i];
    return h === undefined || h < 0 ? this.estimatePx : h;
  }

  /** Top of row i (i may equal count: the total height). */
  offsetOf(i: number): number {
    this.settle();
    return this.offsets[Math.max(0, Math.min(i, this.heights.length))];
  }

  get totalPx(): number {
    return this.offsetOf(this.heights.length);
  }

  /** Index of the row that contains `y`, clamped to the rows there are (0 when empty). */
  indexAt(y: number): number {
    this.settle();
    const n = this.heights.length;
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private settle() {
    const n = this.heights.length;
    if (this.dirtyFrom >= n && this.offsets.length === n + 1) return;
    for (let i = this.dirtyFrom; i < n; i++) this.offsets[i + 1] = this.offsets[i] + this.heightOf(i);
    this.offsets.length = n + 1;
    this.dirtyFrom = n;
  }
}
