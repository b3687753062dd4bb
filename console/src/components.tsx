// Building blocks every page uses: the error notice, progress bars, status badges, copy and confirm
// buttons, and a hook that loads from the API.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

/** An API error in the server's own words (message, then how to fix it). */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, 'error', String(error), '');
  return (
    <div class="notice error" role="alert">
      <strong>{e.message}</strong>
      {e.details && <p>{e.details}</p>}
      {e.code !== 'error' && <small class="code">{e.code}</small>}
    </div>
  );
}

export function Notice({
  kind,
  children,
}: {
  kind: 'success' | 'warning' | 'info';
  children: ComponentChildren;
}) {
  return (
    <div class={`notice ${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-label={label}
    >
      <div class="progress-fill" style={{ width: `${value}%` }} />
      <span class="progress-text">{value} %</span>
    </div>
  );
}

export const StatusBadge = ({ status }: { status: string }) => (
  <span class={`badge badge-${status}`}>{status.replace(/_/g, ' ')}</span>
);

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (http:// on another host): select the text for a manual copy.
      const field = document.querySelector<HTMLInputElement>('[data-secret]');
      field?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  };
  return (
    <button type="button" class="secondary" onClick={copy} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A destructive action in two clicks: the first asks, the second does it. */
export function ConfirmButton(props: {
  label: string;
  confirm: string;
  onConfirm: () => Promise<void> | void;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class="danger-outline" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={props.confirm}>
      <span>{props.confirm}</span>
      <button
        ref={yes}
        type="button"
        class="danger"
        onClick={async () => {
          await props.onConfirm();
          setAsking(false);
        }}
      >
        Yes, {props.label.toLowerCase()}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** Loads `fn` now and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const reload = useCallback(async () => {
    try {
      setData(await fn());
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload, setError };
}

/** Calls `fn` every `ms` while mounted (and the tab is visible). */
export function usePoll(fn: () => void, ms: number, active = true) {
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') fn();
    }, ms);
    return () => clearInterval(id);
  }, [fn, ms, active]);
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      <div class="actions">{children}</div>
    </header>
  );
}

/** A table's only row when it has nothing to list. */
export const EmptyRow = ({ colSpan, children }: { colSpan: number; children: ComponentChildren }) => (
  <tr>
    <td colSpan={colSpan} class="empty">
      {children}
    </td>
  </tr>
);

/** A create form's buttons: submit, and Cancel that closes the form. */
export const FormActions = ({ submit, onCancel }: { submit: string; onCancel: () => void }) => (
  <div class="row">
    <button type="submit">{submit}</button>
    <button type="button" class="secondary" onClick={onCancel}>
      Cancel
    </button>
  </div>
);
