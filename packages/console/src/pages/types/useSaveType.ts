import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import { useStrings } from '../../i18n/index.tsx';
import { typePath, type NotificationType, type TypeUpsert } from './model.ts';
import { strings } from './strings.ts';
import { typesKey } from './TypeList.tsx';

/**
 * Saving the type under `key` (`PUT`, which creates or replaces it): the list is refreshed, the
 * type's own page gets the answer, and the status line says "Saved" (at once when `justSaved`).
 */
export function useSaveType(key: string, justSaved: boolean, onSaved: (type: NotificationType) => void) {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState(justSaved ? t('saved') : '');
  const save = useMutation({
    mutationFn: (body: TypeUpsert) => api.put<NotificationType>(typePath(key), body),
    onSuccess: (type) => {
      setStatus(t('saved'));
      void queryClient.invalidateQueries({ queryKey: [typesKey] });
      queryClient.setQueryData(['notification-type', type.key], type);
      onSaved(type);
    },
    onError: () => setStatus(''),
  });
  return { save, status, setStatus };
}
