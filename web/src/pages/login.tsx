/** Đăng nhập: the only page a signed-out visitor sees. */
import { useState } from 'preact/hooks';
import { ErrorBox, PageTitle } from '../components/ui.js';
import { LangSwitch } from '../components/shell.js';
import { tr } from '../lib/i18n.js';
import { signIn } from '../lib/session.js';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <div class="card">
        <p class="brand-big">Loa</p>
        <PageTitle text={tr('Đăng nhập', 'Sign in')}>{tr('Đăng nhập', 'Sign in')}</PageTitle>
        <p class="muted">{tr('Hệ thống truyền thanh thông minh của xã', "The commune's smart loudspeaker system")}</p>
        <form onSubmit={submit}>
          <div class="field">
            <label for="login-user">{tr('Tên đăng nhập', 'Username')}</label>
            <input id="login-user" name="username" autocomplete="username" autocapitalize="none" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="login-password">{tr('Mật khẩu', 'Password')}</label>
            <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </div>
          <ErrorBox error={error} />
          <button type="submit" disabled={busy}>
            {busy ? tr('Đang đăng nhập…', 'Signing in…') : tr('Đăng nhập', 'Sign in')}
          </button>
        </form>
        <p class="lang-line">
          <LangSwitch />
        </p>
      </div>
    </main>
  );
}
