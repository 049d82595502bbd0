/** A page of a list: the objects, and the cursor of the next page or null on the last one. */
export interface CursorPage<Item> {
  data: Item[];
  next_cursor: string | null;
}

/**
 * The result of a `list()` call. Awaiting it returns the first page. Iterating it with
 * `for await` yields every object of every page, and fetches the next page through
 * `next_cursor` only when the previous one is used up.
 */
export class PagePromise<Page extends CursorPage<unknown>> implements PromiseLike<Page>, AsyncIterable<Page['data'][number]> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page>;
  #firstPage: Promise<Page> | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page>) {
    this.#fetchPage = fetchPage;
  }

  then<Result = Page, Reason = never>(
    onFulfilled?: ((page: Page) => Result | PromiseLike<Result>) | null,
    onRejected?: ((reason: unknown) => Reason | PromiseLike<Reason>) | null,
  ): Promise<Result | Reason> {
    return this.#first().then(onFulfilled, onRejected);
  }

  /** Yields every page, starting with the first. */
  async *pages(): AsyncGenerator<Page> {
    let page = await this.#first();
    yield page;
    while (page.next_cursor !== null) {
      page = await this.#fetchPage(page.next_cursor);
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Page['data'][number]> {
    for await (const page of this.pages()) yield* page.data as Page['data'][number][];
  }

  #first(): Promise<Page> {
    this.#firstPage ??= this.#fetchPage(undefined);
    return this.#firstPage;
  }
}
