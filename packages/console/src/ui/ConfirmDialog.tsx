import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  /** Disables the confirm button (e.g. while the action runs). */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

/**
 * A modal native <dialog>: focus moves to Cancel when it opens, Escape or Cancel closes it, and
 * focus returns to what had it before.
 */
export function ConfirmDialog({ open, title, confirmLabel, danger, busy, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const t = useStrings(uiStrings);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocusRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      returnFocusRef.current?.focus();
      returnFocusRef.current = null;
    }
  }, [open]);

  useEffect(
    () => () => {
      returnFocusRef.current?.focus();
    },
    [],
  );

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children ? (
        <div id={bodyId} className="confirm-body">
          {children}
        </div>
      ) : null}
      <div className="confirm-actions">
        <button ref={cancelRef} type="button" className="btn" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="button" className={danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
