/** A counting semaphore: at most `size` deliveries at once, the others wait in arrival order. */
export class DeliverySlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves when a slot is ours; give it back with `release`. */
  acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays as it is.
    if (next) next();
    else this.active--;
  }
}
