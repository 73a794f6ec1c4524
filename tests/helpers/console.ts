/** A console user agent over plain fetch: keeps cookies, reads CSRF tokens from the pages it gets. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** Set-Cookie headers of the last response, as sent. */
  lastSetCookie: string[] = [];

  constructor(readonly base: string) {}

  private remember(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(res);
    return res;
  }

  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(res);
    return res;
  }

  /** The value of the first `_csrf` hidden field of a page. */
  static csrfOf(html: string): string {
    const m = /name="_csrf" value="([^"]*)"/.exec(html);
    if (!m) throw new Error('no _csrf field on the page');
    return m[1]!;
  }

  /** Logs in through the form; returns the response to the POST. */
  async login(user: string, password: string): Promise<Response> {
    const page = await (await this.get('/login')).text();
    return this.post('/login', { _csrf: ConsoleClient.csrfOf(page), user, password, next: '/' });
  }

  /** The CSRF token of the session (read from a page). */
  async csrf(path = '/'): Promise<string> {
    return ConsoleClient.csrfOf(await (await this.get(path)).text());
  }
}
