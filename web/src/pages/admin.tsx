/** Quản trị: accounts (list, create with role and commune) and the audit log. */
import { useId, useState } from 'preact/hooks';
import { ErrorBox, Loading, Notice, PageTitle } from '../components/ui.js';
import { api } from '../lib/api.js';
import { useZones } from '../lib/directory.js';
import { dateTime } from '../lib/format.js';
import { tr } from '../lib/i18n.js';
import { roleLabel } from '../lib/labels.js';
import { can, session } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../lib/use-load.js';
import type { AuditEntry, Me, Role, User } from '../lib/types.js';

const ROLES: Role[] = ['officer', 'technician', 'viewer', 'admin'];

export function AdminPage() {
  const me = useStore(session)!;
  return (
    <div class="page">
      <PageTitle text={tr('Quản trị', 'Administration')}>{tr('Quản trị', 'Administration')}</PageTitle>
      {can(me, 'users.manage') ? <Users me={me} /> : null}
      {can(me, 'audit.read') ? <Audit /> : null}
    </div>
  );
}

function Users(props: { me: Me }) {
  const users = useLoad(() => api.get<{ items: User[] }>('/api/v1/users').then((b) => b.items), []);
  return (
    <section class="panel" aria-labelledby="users-h">
      <h2 id="users-h">{tr('Tài khoản', 'Accounts')}</h2>
      <ErrorBox error={users.error} />
      {!users.data ? <Loading /> : null}
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{tr('Tên đăng nhập', 'Username')}</th>
            <th scope="col">{tr('Họ tên', 'Name')}</th>
            <th scope="col">{tr('Vai trò', 'Role')}</th>
            <th scope="col">{tr('Xã', 'Commune')}</th>
            <th scope="col">{tr('Tạo lúc', 'Created')}</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} data-user={u.username}>
              <td data-label={tr('Tên đăng nhập', 'Username')}>
                {u.username}
                {u.disabled ? ` (${tr('đã khoá', 'disabled')})` : ''}
              </td>
              <td data-label={tr('Họ tên', 'Name')}>{u.displayName || '—'}</td>
              <td data-label={tr('Vai trò', 'Role')}>{roleLabel(u.role)}</td>
              <td data-label={tr('Xã', 'Commune')}>{u.commune ?? tr('Toàn huyện', 'Whole district')}</td>
              <td data-label={tr('Tạo lúc', 'Created')}>{dateTime(u.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <NewUser me={props.me} onCreated={users.reload} />
    </section>
  );
}

function NewUser(props: { me: Me; onCreated: () => void }) {
  const id = useId();
  const zones = useZones();
  const own = props.me.user.commune;
  const communes = own ? [own] : [...new Set((zones.data ?? []).map((z) => z.commune))];
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'officer' as Role, commune: own ?? '' });
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    try {
      const body = { username: form.username.trim(), password: form.password, role: form.role, commune: form.commune || null, ...(form.displayName.trim() ? { displayName: form.displayName.trim() } : {}) };
      const u = await api.post<User>('/api/v1/users', body);
      setCreated(u.username);
      setForm({ ...form, username: '', displayName: '', password: '' });
      props.onCreated();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form class="sub-panel" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{tr('Tạo tài khoản', 'New account')}</h3>
      <div class="form-grid">
        <div class="field">
          <label for={`${id}-u`}>{tr('Tên đăng nhập', 'Username')}</label>
          <input id={`${id}-u`} required pattern="[a-zA-Z0-9._\-]{3,64}" autocomplete="off" autocapitalize="none" value={form.username} onInput={(e) => set({ username: e.currentTarget.value })} aria-describedby={`${id}-u-hint`} />
          <small id={`${id}-u-hint`} class="muted">
            {tr('3–64 ký tự: chữ không dấu, số, dấu chấm, gạch.', '3–64 characters: letters, digits, dot, dash.')}
          </small>
        </div>
        <div class="field">
          <label for={`${id}-n`}>{tr('Họ tên', 'Full name')}</label>
          <input id={`${id}-n`} maxLength={128} value={form.displayName} onInput={(e) => set({ displayName: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${id}-p`}>{tr('Mật khẩu (ít nhất 8 ký tự)', 'Password (at least 8 characters)')}</label>
          <input id={`${id}-p`} type="password" required minLength={8} autocomplete="new-password" value={form.password} onInput={(e) => set({ password: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${id}-r`}>{tr('Vai trò', 'Role')}</label>
          <select id={`${id}-r`} value={form.role} onChange={(e) => set({ role: e.currentTarget.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-c`}>{tr('Xã', 'Commune')}</label>
          <select id={`${id}-c`} value={form.commune} onChange={(e) => set({ commune: e.currentTarget.value })}>
            {own ? null : <option value="">{tr('Toàn huyện', 'Whole district')}</option>}
            {communes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBox error={error} />
      {created ? <Notice tone="ok">{tr(`Đã tạo tài khoản ${created}.`, `Account ${created} created.`)}</Notice> : null}
      <button type="submit">{tr('Tạo tài khoản', 'Create account')}</button>
    </form>
  );
}

function Audit() {
  const log = useLoad(() => api.get<{ items: AuditEntry[] }>('/api/v1/audit?limit=200').then((b) => [...b.items].sort((a, b) => b.ts - a.ts)), []);
  return (
    <section class="panel" aria-labelledby="audit-h">
      <h2 id="audit-h">{tr('Nhật ký thao tác', 'Audit log')}</h2>
      <button type="button" class="secondary" onClick={log.reload}>
        {tr('Tải lại', 'Reload')}
      </button>
      <ErrorBox error={log.error} />
      {!log.data ? <Loading /> : null}
      <table class="stack audit">
        <thead>
          <tr>
            <th scope="col">{tr('Thời gian', 'Time')}</th>
            <th scope="col">{tr('Người dùng', 'User')}</th>
            <th scope="col">{tr('Thao tác', 'Action')}</th>
            <th scope="col">{tr('Đối tượng', 'Target')}</th>
            <th scope="col">{tr('Kết quả', 'Result')}</th>
            <th scope="col">{tr('Từ địa chỉ', 'From')}</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.map((a, i) => (
            <tr key={`${a.ts}-${i}`}>
              <td data-label={tr('Thời gian', 'Time')}>{dateTime(a.ts)}</td>
              <td data-label={tr('Người dùng', 'User')}>{a.username ?? '—'}</td>
              <td data-label={tr('Thao tác', 'Action')}>
                <code>{a.action}</code>
              </td>
              <td data-label={tr('Đối tượng', 'Target')}>{a.target ?? '—'}</td>
              <td data-label={tr('Kết quả', 'Result')}>{a.details?.status ?? '—'}</td>
              <td data-label={tr('Từ địa chỉ', 'From')}>{a.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
