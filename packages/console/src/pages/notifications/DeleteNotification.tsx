import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import { ConfirmDialog, useErrorMessage } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { AdminNotification } from './model.ts';
import { notificationListKey, withoutNotification } from './queries.ts';
import { strings } from './strings.ts';

/** "Delete" with a confirmation; on success the notification leaves every cached list. */
export function DeleteNotification({ notification, onDeleted }: { notification: AdminNotification; onDeleted: () => void }) {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/v1/admin/notifications/${encodeURIComponent(notification.id)}`),
    onSuccess: () => {
      setOpen(false);
      queryClient.setQueriesData({ queryKey: [notificationListKey] }, (data: Parameters<typeof withoutNotification>[0]) =>
        withoutNotification(data, notification.id),
      );
      void queryClient.invalidateQueries({ queryKey: [notificationListKey] });
      queryClient.removeQueries({ queryKey: ['admin-notification', notification.id] });
      onDeleted();
    },
  });
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        {t('delete')}
      </button>
      {remove.isError ? (
        <p role="alert" className="error-text">
          {t('delete.failed', { message: errorMessage(remove.error) })}
        </p>
      ) : null}
      <ConfirmDialog
        open={open}
        title={t('delete.title')}
        confirmLabel={t('delete.confirm')}
        danger
        onConfirm={() => remove.mutate()}
        onCancel={() => setOpen(false)}
      >
        <p>{t('delete.body', { title: notification.title, user: notification.user_id })}</p>
      </ConfirmDialog>
    </>
  );
}
