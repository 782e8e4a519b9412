import { useEffect, useId, type ReactNode } from 'react';
import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

/** A page: its one <h1> (also the document's title) and optional actions beside it. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  const t = useStrings(uiStrings);
  useEffect(() => {
    document.title = `${title} · ${t('titleSuffix')}`;
  }, [title, t]);
  return (
    <div className="page stack">
      <div className="page-head">
        <h1>{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </div>
  );
}

/** A titled part of a page: an <h2> and a region labelled by it. */
export function Section({ title, actions, children, className }: { title: string; actions?: ReactNode; children?: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={className ? `section ${className}` : 'section'} aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="section-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
