import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, type FieldProblem } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import { ErrorNotice, Field, Section } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { Suppression } from './model.ts';
import { strings } from './strings.ts';

export const suppressionsKey = 'admin-email-suppressions';

/** The problem the API names for `field` (`address` or `body.address`). */
export function problemFor(details: FieldProblem[] | undefined, field: string): string | undefined {
  return details?.find((d) => d.path === field || d.path.endsWith(`.${field}`) || d.path.startsWith(`${field}.`))?.message;
}

/** "Add a suppression": address and detail; the API's field errors are shown by their fields. */
export function AddSuppression({ onAdded }: { onAdded: (message: string) => void }) {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const [address, setAddress] = useState('');
  const [detail, setDetail] = useState('');
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: (body: { address: string; detail?: string }) => api.post<Suppression>('/v1/admin/email-suppressions', body),
    onSuccess: (suppression, body) => {
      // 200 (not 201) answers an entry that was there before; it keeps its own reason and detail.
      const existed = suppression.reason !== 'manual' || (suppression.detail ?? '') !== (body.detail ?? '');
      void queryClient.invalidateQueries({ queryKey: [suppressionsKey] });
      setAddress('');
      setDetail('');
      onAdded(existed ? t('add.existing', { address: body.address }) : t('add.created', { address: body.address }));
    },
  });
  const details = add.error instanceof ApiError ? add.error.details : undefined;
  const addressError = missing ? t('add.required') : problemFor(details, 'address');
  const detailError = problemFor(details, 'detail');
  const otherError = add.isError && addressError === undefined && detailError === undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = address.trim();
    setMissing(trimmed === '');
    if (trimmed === '') return;
    add.mutate(detail.trim() === '' ? { address: trimmed } : { address: trimmed, detail: detail.trim() });
  }

  return (
    <Section title={t('add')}>
      <form className="toolbar filters" onSubmit={submit} noValidate>
        <Field label={t('add.address')} error={addressError}>
          {(props) => <input {...props} type="email" value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="off" required />}
        </Field>
        <Field label={t('add.detail')} hint={t('add.detailHint')} error={detailError}>
          {(props) => <input {...props} value={detail} onChange={(e) => setDetail(e.target.value)} autoComplete="off" />}
        </Field>
        <div className="toolbar-actions">
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            {t('add.submit')}
          </button>
        </div>
      </form>
      {otherError ? <ErrorNotice error={add.error} /> : null}
    </Section>
  );
}
