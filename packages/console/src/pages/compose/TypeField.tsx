import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import type { NotificationType } from '../../api/types.ts';
import { useStrings } from '../../i18n/index.tsx';
import { Field } from '../../ui/index.ts';
import { composeStrings } from './strings.ts';

interface TypeFieldProps {
  value: string;
  onChange: (type: string) => void;
  error: string | undefined;
}

/** The type key, typed freely: the configured types are offered as suggestions, with their descriptions. */
export function TypeField({ value, onChange, error }: TypeFieldProps) {
  const t = useStrings(composeStrings);
  const api = useApi();
  const listId = useId();
  const types = useQuery({
    queryKey: ['admin', 'notification-types'],
    queryFn: () => api.get<{ items: NotificationType[] }>('/v1/admin/notification-types'),
    staleTime: 60_000,
  });
  return (
    <>
      <Field label={t('type')} hint={t('typeHint')} error={error}>
        {(props) => (
          <input
            {...props}
            list={listId}
            className="mono"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            required
          />
        )}
      </Field>
      <datalist id={listId}>
        {types.data?.items.map((type) => (
          <option key={type.key} value={type.key}>
            {type.description}
          </option>
        ))}
      </datalist>
    </>
  );
}
