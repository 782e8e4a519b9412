/** Notification types as the API answers them, and the editor's draft of one. */

import type { EmailPreview as PreviewRequest, NotificationType, NotificationTypeUpsert as TypeUpsert } from '@tidings/protocol';

export type { EmailPreview as PreviewRequest, NotificationType, NotificationTypeUpsert as TypeUpsert } from '@tidings/protocol';

export interface TypeDraft {
  key: string;
  description: string;
  default_in_app: boolean;
  default_email: boolean;
  critical: boolean;
  template: string;
}

export const typeKeyMaxLength = 64;
const typeKeyPattern = /^[a-z0-9][a-z0-9_.-]*$/;

/** What a type that was never configured behaves as. */
export const newTypeDraft: TypeDraft = { key: '', description: '', default_in_app: true, default_email: false, critical: false, template: '' };

export function draftFrom(type: NotificationType): TypeDraft {
  return {
    key: type.key,
    description: type.description ?? '',
    default_in_app: type.default_in_app,
    default_email: type.default_email,
    critical: type.critical,
    template: type.template ?? '',
  };
}

/** Blank text means none: no description, no template of its own (the default layout). */
export function draftToUpsert(draft: TypeDraft): TypeUpsert {
  return {
    description: draft.description.trim() === '' ? null : draft.description.trim(),
    default_in_app: draft.default_in_app,
    default_email: draft.default_email,
    critical: draft.critical,
    template: draft.template.trim() === '' ? null : draft.template,
  };
}

export function previewRequest(template: string, title: string, body: string): PreviewRequest {
  const request: PreviewRequest = { template: template.trim() === '' ? null : template };
  if (title.trim() !== '') request.title = title;
  if (body.trim() !== '') request.body = body;
  return request;
}

export type KeyProblem = 'required' | 'tooLong' | 'pattern';

/** Why a key cannot be used, or undefined when it can. */
export function keyProblem(key: string): KeyProblem | undefined {
  if (key === '') return 'required';
  if (key.length > typeKeyMaxLength) return 'tooLong';
  if (!typeKeyPattern.test(key)) return 'pattern';
  return undefined;
}

export function typePath(key: string): string {
  return `/v1/notification-types/${encodeURIComponent(key)}`;
}
