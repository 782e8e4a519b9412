import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import type { CreateNotificationBody, CreateNotificationResult } from '../../api/types.ts';
import { useStrings } from '../../i18n/index.tsx';
import { draftProblems, emptyDraft, fieldOfPath, newIdempotencyKey, parseData, requestOf, type Draft } from './draft.ts';
import type { DraftFieldsProps } from './fields.ts';
import { composeStrings } from './strings.ts';

type FieldErrors = DraftFieldsProps['errors'];

/**
 * The compose form: the draft, the error each field shows (the form's own once a send was tried,
 * the data field's at once, then the API's), and the send. A message to everyone waits for
 * confirmation first.
 */
export function useCompose() {
  const t = useStrings(composeStrings);
  const api = useApi();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  // One key per composed message: a double click (or a retry of the same draft) sends once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const [attempted, setAttempted] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const send = useMutation({
    mutationFn: (request: { body: CreateNotificationBody; key: string }) =>
      api.post<CreateNotificationResult>('/v1/notifications', request.body, { idempotencyKey: request.key }),
    onSuccess: () => {
      setIdempotencyKey(newIdempotencyKey());
      setAttempted(false);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
  });

  const update = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setIdempotencyKey(newIdempotencyKey());
  };

  const problems = draftProblems(draft);
  const data = parseData(draft.data);

  const errors: FieldErrors = {};
  if (attempted) for (const [field, problem] of Object.entries(problems)) errors[field as keyof Draft] = t(`problem.${problem}`);
  if (!data.ok) errors.data = data.message === 'not-object' ? t('dataNotObject') : t('dataInvalid', { message: data.message });
  const apiError = send.error instanceof ApiError ? send.error : null;
  for (const detail of apiError?.details ?? []) {
    const field = fieldOfPath(detail.path, draft.mode);
    if (field && !errors[field]) errors[field] = detail.message;
  }

  const submit = () => {
    setConfirming(false);
    send.mutate({ body: requestOf(draft), key: idempotencyKey });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (send.isPending || Object.keys(problems).length > 0) return;
    if (draft.mode === 'all') setConfirming(true);
    else submit();
  };

  return {
    draft,
    update,
    errors,
    /** The errors listed above the send button: only once a send was tried. */
    summary: attempted ? Object.entries(errors) : [],
    dataOk: data.ok,
    send,
    confirming,
    setConfirming,
    submit,
    onSubmit,
  };
}
