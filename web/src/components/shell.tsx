/** The frame around every signed-in page: skip link, header, navigation by permission, language, live status. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { link } from '../lib/events.js';
import { lang, setLang, tr } from '../lib/i18n.js';
import { roleLabel } from '../lib/labels.js';
import { usePath } from '../lib/router.js';
import { can, signOut } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import type { Me, Permission } from '../lib/types.js';
import { Link } from './ui.js';

interface NavItem {
  href: string;
  label: () => string;
  allowed: (me: Me) => boolean;
  class?: string;
}

const need = (p: Permission) => (me: Me) => can(me, p);

export const NAV: NavItem[] = [
  { href: '/', label: () => tr('Tổng quan', 'Overview'), allowed: need('read') },
  { href: '/phat-ngay', label: () => tr('Phát ngay', 'Broadcast now'), allowed: need('broadcasts.write') },
  { href: '/khan-cap', label: () => tr('Khẩn cấp', 'Emergency'), allowed: need('broadcasts.write'), class: 'nav-emergency' },
  { href: '/lich-phat', label: () => tr('Lịch phát', 'Programmes'), allowed: need('read') },
  { href: '/thu-vien', label: () => tr('Thư viện', 'Library'), allowed: need('read') },
  { href: '/thiet-bi', label: () => tr('Thiết bị', 'Speakers'), allowed: need('read') },
  { href: '/bao-cao', label: () => tr('Báo cáo', 'Reports'), allowed: need('read') },
  { href: '/quan-tri', label: () => tr('Quản trị', 'Admin'), allowed: (me) => can(me, 'users.manage') || can(me, 'audit.read') },
];

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

export function LangSwitch() {
  const current = useStore(lang);
  const next = current === 'vi' ? 'en' : 'vi';
  return (
    <button type="button" class="link-button" lang={next} onClick={() => setLang(next)} aria-label={current === 'vi' ? 'Switch to English' : 'Chuyển sang tiếng Việt'}>
      {current === 'vi' ? 'English' : 'Tiếng Việt'}
    </button>
  );
}

function LiveStatus() {
  const state = useStore(link);
  const text = state === 'live' ? tr('Trực tiếp', 'Live') : state === 'connecting' ? tr('Đang kết nối…', 'Connecting…') : tr('Mất kết nối', 'Disconnected');
  return (
    <span class={`live ${state}`} role="status" data-live={state}>
      <span aria-hidden="true">●</span> {text}
    </span>
  );
}

export function Shell(props: { me: Me; children: ComponentChildren }) {
  const path = usePath();
  const [open, setOpen] = useState(false);
  const items = NAV.filter((n) => n.allowed(props.me));
  return (
    <>
      <a class="skip" href="#main">
        {tr('Bỏ qua, tới nội dung chính', 'Skip to main content')}
      </a>
      <header class="top">
        <div class="brand">
          <Link href="/">Loa</Link>
          <LiveStatus />
        </div>
        <button type="button" class="menu-button secondary" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
          {tr('Danh mục', 'Menu')}
        </button>
        <nav id="main-nav" class={open ? 'open' : ''} aria-label={tr('Các trang', 'Pages')} onClick={() => setOpen(false)}>
          {items.map((n) => (
            <Link key={n.href} href={n.href} class={n.class} aria-current={isCurrent(n.href, path) ? 'page' : undefined}>
              {n.label()}
            </Link>
          ))}
        </nav>
        <div class="account">
          <span>
            {props.me.user.username} <small class="muted">· {roleLabel(props.me.user.role)}</small>
          </span>
          <LangSwitch />
          <button type="button" class="link-button" onClick={() => void signOut()}>
            {tr('Đăng xuất', 'Sign out')}
          </button>
        </div>
      </header>
      <main id="main">{props.children}</main>
    </>
  );
}
