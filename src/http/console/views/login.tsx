import { Layout } from './layout.js';

export interface LoginProps {
  csrf: string;
  user?: string;
  error?: string;
  /** Where to go after logging in (a console path). */
  next?: string;
  /** The console cannot be used: why, and what to set. */
  disabled?: string;
}

export function LoginPage(props: LoginProps) {
  return (
    <Layout title="Log in">
      <section class="login" aria-labelledby="login-title">
        <h1 id="login-title">Log in to the newsroom console</h1>
        {props.disabled ? (
          <p class="flash flash-error" role="alert">
            {props.disabled}
          </p>
        ) : (
          <form method="post" action="/login">
            {props.error ? (
              <p class="flash flash-error" role="alert" id="login-error">
                {props.error}
              </p>
            ) : null}
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="next" value={props.next ?? '/'} />
            <label for="user">User name</label>
            <input
              id="user"
              name="user"
              type="text"
              autocomplete="username"
              required
              value={props.user ?? ''}
              aria-describedby={props.error ? 'login-error' : undefined}
            />
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit">Log in</button>
          </form>
        )}
      </section>
    </Layout>
  );
}
