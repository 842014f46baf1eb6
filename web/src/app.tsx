/** The console: who is signed in decides between the sign-in page and the pages their permissions allow. */
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { NAV, Shell } from './components/shell.js';
import { Link, PageTitle } from './components/ui.js';
import { startActivity, stopActivity } from './lib/activity.js';
import { forgetDirectory } from './lib/directory.js';
import { connectEvents, disconnectEvents } from './lib/events.js';
import { lang, tr } from './lib/i18n.js';
import { match, usePath } from './lib/router.js';
import { loadSession, session } from './lib/session.js';
import { lazyPage } from './lib/lazy.js';
import { useStore } from './lib/store.js';
import type { Me } from './lib/types.js';
import { AdminPage } from './pages/admin.js';
import { BroadcastProgressPage } from './pages/broadcast-progress.js';
import { DashboardPage } from './pages/dashboard.js';
import { DevicePage } from './pages/device.js';
import { DevicesPage } from './pages/devices.js';
import { EmergencyPage } from './pages/emergency.js';
import { EmergencyProgressPage } from './pages/emergency-progress.js';
import { LibraryPage } from './pages/library.js';
import { LoginPage } from './pages/login.js';

const BroadcastNowPage = lazyPage(() => import('./pages/broadcast-now.js').then((m) => m.BroadcastNowPage));
const ProgrammesPage = lazyPage(() => import('./pages/programmes.js').then((m) => m.ProgrammesPage));
const ReportsPage = lazyPage(() => import('./pages/reports.js').then((m) => m.ReportsPage));
const RolloutsPage = lazyPage(() => import('./pages/rollouts.js').then((m) => m.RolloutsPage));

interface Route {
  pattern: string;
  /** The menu entry whose permission guards this page. */
  section: string;
  view: (params: Record<string, string>) => VNode;
}

const ROUTES: Route[] = [
  { pattern: '/', section: '/', view: () => <DashboardPage /> },
  { pattern: '/phat-ngay', section: '/phat-ngay', view: () => <BroadcastNowPage /> },
  { pattern: '/ban-tin/:id', section: '/', view: (p) => <BroadcastProgressPage id={p.id!} /> },
  { pattern: '/khan-cap', section: '/khan-cap', view: () => <EmergencyPage /> },
  { pattern: '/khan-cap/:id', section: '/', view: (p) => <EmergencyProgressPage id={p.id!} /> },
  { pattern: '/lich-phat', section: '/lich-phat', view: () => <ProgrammesPage /> },
  { pattern: '/thu-vien', section: '/thu-vien', view: () => <LibraryPage /> },
  { pattern: '/thiet-bi', section: '/thiet-bi', view: () => <DevicesPage /> },
  { pattern: '/cap-nhat-phan-mem', section: '/thiet-bi', view: () => <RolloutsPage /> },
  { pattern: '/thiet-bi/:id', section: '/thiet-bi', view: (p) => <DevicePage id={p.id!} /> },
  { pattern: '/bao-cao', section: '/bao-cao', view: () => <ReportsPage /> },
  { pattern: '/quan-tri', section: '/quan-tri', view: () => <AdminPage /> },
];

function Page(props: { me: Me }) {
  const path = usePath();
  for (const r of ROUTES) {
    const params = match(r.pattern, path);
    if (!params) continue;
    const allowed = NAV.find((n) => n.href === r.section)?.allowed(props.me) ?? false;
    return allowed ? r.view(params) : <Message title={tr('Không có quyền', 'Not allowed')} text={tr('Tài khoản của bạn không được dùng trang này.', 'Your account may not use this page.')} />;
  }
  return <Message title={tr('Không tìm thấy trang', 'Page not found')} text={tr('Đường dẫn này không có trong Loa.', 'This address is not part of Loa.')} />;
}

function Message(props: { title: string; text: ComponentChildren }) {
  return (
    <div class="page">
      <PageTitle text={props.title}>{props.title}</PageTitle>
      <p>{props.text}</p>
      <p>
        <Link href="/">{tr('Về trang Tổng quan', 'Back to the overview')}</Link>
      </p>
    </div>
  );
}

/** Re-renders the signed-in pages now and then, so "2 minutes ago" stays true. */
function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

function SignedIn(props: { me: Me }) {
  useTick(30_000);
  useEffect(() => {
    startActivity();
    connectEvents(() => void loadSession());
    return () => {
      disconnectEvents();
      stopActivity();
      forgetDirectory();
    };
  }, [props.me.user.id]);
  return (
    <Shell me={props.me}>
      <Page me={props.me} />
    </Shell>
  );
}

export function App() {
  const me = useStore(session);
  useStore(lang);
  useEffect(() => {
    if (me !== undefined && !performance.getEntriesByName('loa-interactive').length) performance.mark('loa-interactive');
  }, [me]);
  if (me === undefined) return <p class="boot">{tr('Đang tải…', 'Loading…')}</p>;
  return me ? <SignedIn me={me} /> : <LoginPage />;
}
