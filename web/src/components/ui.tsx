/** Small building blocks every page uses: links, titles, errors, badges, progress. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api.js';
import { tr } from '../lib/i18n.js';
import { onLinkClick, usePath } from '../lib/router.js';

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={props.href} class={props.class} aria-current={props['aria-current']} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}

/** The page's heading; focused when the page opens so screen readers announce where they are. */
export function PageTitle(props: { children: ComponentChildren; text: string; class?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const path = usePath();
  useEffect(() => {
    document.title = `${props.text} · Loa`;
  }, [props.text]);
  // Only when the page changes: a language switch must not pull focus away from its button.
  useEffect(() => ref.current?.focus({ preventScroll: true }), [path]);
  return (
    <h1 ref={ref} tabIndex={-1} class={props.class}>
      {props.children}
    </h1>
  );
}

export function ErrorBox(props: { error: unknown }) {
  if (!props.error) return null;
  return (
    <p class="error" role="alert">
      {messageOf(props.error)}
    </p>
  );
}

export function Notice(props: { children: ComponentChildren; tone?: 'info' | 'ok' | 'warn' }) {
  return (
    <p class={`notice ${props.tone ?? 'info'}`} role="status">
      {props.children}
    </p>
  );
}

export function Loading() {
  return <p class="muted">{tr('Đang tải…', 'Loading…')}</p>;
}

export type Tone = 'ok' | 'bad' | 'warn' | 'busy' | 'idle' | 'off';

export function Badge(props: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>;
}

/** A bar of segments; the numbers are always written beside it, so colour is never the only cue. */
export function Bar(props: { label: string; parts: Array<{ tone: Tone; value: number }>; total: number }) {
  const done = props.parts.reduce((n, p) => n + p.value, 0);
  return (
    <div class="bar" role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={props.total} aria-valuenow={done}>
      {props.parts.map((p, i) => (p.value > 0 ? <span key={i} class={p.tone} style={{ width: `${(p.value / Math.max(props.total, 1)) * 100}%` }} /> : null))}
    </div>
  );
}

/** A button that asks once more before it acts (for delete, reboot, cancel); leaving it disarms it. */
export function ConfirmButton(props: { label: string; confirmLabel: string; onConfirm: () => void; class?: string; disabled?: boolean }) {
  const [armed, setArmed] = useState(false);
  const onClick = () => {
    setArmed(!armed);
    if (armed) props.onConfirm();
  };
  return (
    <button type="button" class={`${props.class ?? 'secondary'}${armed ? ' armed' : ''}`} disabled={props.disabled} onClick={onClick} onBlur={() => setArmed(false)}>
      {armed ? props.confirmLabel : props.label}
    </button>
  );
}
