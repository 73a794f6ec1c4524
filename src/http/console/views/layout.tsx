import type { ComponentChildren } from 'preact';
import type { Flash } from '../session.js';

export interface PageChrome {
  /** Signed-in user; undefined on the log-in page. */
  user?: string;
  /** CSRF token of the session, for the log-out form. */
  csrf?: string;
  flash?: Flash;
  /** Path of the current section, to mark it in the navigation. */
  section?: string;
}

const SECTIONS: Array<[path: string, label: string]> = [
  ['/', 'Queue'],
  ['/calendar', 'Week'],
  ['/history', 'Sent'],
  ['/articles', 'Articles'],
  ['/accounts', 'Accounts'],
];

/** The page around every console view: skip link, navigation, the flash message, the log-out button. */
export function Layout(props: PageChrome & { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Crier`}</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Crier</span>
          {props.user ? (
            <nav aria-label="Sections">
              <ul>
                {SECTIONS.map(([path, label]) => (
                  <li key={path}>
                    <a href={path} aria-current={props.section === path ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {props.user ? (
            <form method="post" action="/logout" class="logout">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <span class="who">{props.user}</span>
              <button type="submit">Log out</button>
            </form>
          ) : null}
        </header>
        <main id="main" tabIndex={-1}>
          {props.flash ? (
            <p
              class={`flash flash-${props.flash.kind}`}
              role={props.flash.kind === 'error' ? 'alert' : 'status'}
            >
              {props.flash.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function ErrorPage(props: PageChrome & { status: number; message: string }) {
  return (
    <Layout {...props} title={`Error ${props.status}`}>
      <h1>{props.status === 404 ? 'Not found' : 'Something went wrong'}</h1>
      <p role="alert">{props.message}</p>
      <p>
        <a href="/">Back to the queue</a>
      </p>
    </Layout>
  );
}
