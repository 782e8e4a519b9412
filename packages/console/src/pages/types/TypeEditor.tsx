import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { Field, Page, Section, useErrorMessage } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { draftToUpsert, keyProblem, previewRequest, typePath, type NotificationType, type TypeDraft } from './model.ts';
import { strings } from './strings.ts';
import { TemplatePreview, templateProblems, usePreview } from './TemplatePreview.tsx';
import { typesKey } from './TypeList.tsx';

interface TypeEditorProps {
  /** Where the draft starts: a loaded type, or the defaults of a new one. */
  initial: TypeDraft;
  /** A new type: the key is a field. */
  isNew: boolean;
  /** Set when the page was reached by saving a new type. */
  justSaved?: boolean;
  onSaved: (type: NotificationType) => void;
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="choice">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Edit a type's description, defaults, critical flag and MJML template, with a live preview. */
export function TypeEditor({ initial, isNew, justSaved = false, onSaved }: TypeEditorProps) {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState(initial);
  const [sampleTitle, setSampleTitle] = useState('');
  const [sampleBody, setSampleBody] = useState('');
  const [showKeyProblem, setShowKeyProblem] = useState(false);
  const [status, setStatus] = useState(justSaved ? t('saved') : '');
  const set = <K extends keyof TypeDraft>(field: K, value: TypeDraft[K]) => setDraft((d) => ({ ...d, [field]: value }));

  const key = draft.key.trim();
  const badKey = keyProblem(key);
  const preview = usePreview(badKey ? undefined : key, previewRequest(draft.template, sampleTitle, sampleBody));

  const save = useMutation({
    mutationFn: (body: ReturnType<typeof draftToUpsert>) => api.put<NotificationType>(typePath(key), body),
    onSuccess: (type) => {
      setStatus(t('saved'));
      void queryClient.invalidateQueries({ queryKey: [typesKey] });
      queryClient.setQueryData(['notification-type', type.key], type);
      onSaved(type);
    },
    onError: () => setStatus(''),
  });
  const saveProblems = templateProblems(save.error);
  const previewProblems = templateProblems(preview.error);
  // The template's problem by the field: from the last save, or else from the live preview.
  const templateError = (saveProblems ?? previewProblems)?.join('; ');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (badKey) {
      setShowKeyProblem(true);
      return;
    }
    setStatus('');
    save.mutate(draftToUpsert(draft));
  }

  return (
    <Page title={isNew ? t('new.title') : t('edit.title', { key: initial.key })}>
      <p>
        <Link href="/">{t('back')}</Link>
      </p>
      <div className="type-editor">
        <form className="stack" onSubmit={submit} noValidate aria-label={t('settings')}>
          <Section title={t('settings')}>
            <div className="stack">
              {isNew ? (
                <Field label={t('key')} hint={t('key.hint')} error={showKeyProblem && badKey ? t(`key.${badKey}`) : undefined}>
                  {(props) => (
                    <input
                      {...props}
                      className="mono"
                      value={draft.key}
                      onChange={(e) => set('key', e.target.value)}
                      onBlur={() => setShowKeyProblem(key !== '')}
                      autoComplete="off"
                      spellCheck={false}
                      required
                    />
                  )}
                </Field>
              ) : null}
              <Field label={t('description')} hint={t('description.hint')}>
                {(props) => <input {...props} value={draft.description} onChange={(e) => set('description', e.target.value)} />}
              </Field>
              <fieldset>
                <legend>{t('defaults')}</legend>
                <div className="checks">
                  <Check label={t('defaultInApp')} checked={draft.default_in_app} onChange={(v) => set('default_in_app', v)} />
                  <Check label={t('defaultEmail')} checked={draft.default_email} onChange={(v) => set('default_email', v)} />
                  <Check label={t('critical')} checked={draft.critical} onChange={(v) => set('critical', v)} />
                </div>
              </fieldset>
              <Field label={t('template')} hint={t('template.hint')} error={templateError}>
                {(props) => (
                  <textarea
                    {...props}
                    className="template-editor"
                    value={draft.template}
                    onChange={(e) => set('template', e.target.value)}
                    spellCheck={false}
                    autoCapitalize="off"
                    autoCorrect="off"
                  />
                )}
              </Field>
              <div className="toolbar-actions">
                <button type="submit" className="btn btn-primary" disabled={save.isPending}>
                  {save.isPending ? t('saving') : t('save')}
                </button>
              </div>
              <p role="status" className="flash">
                {status}
              </p>
              {save.isError ? (
                <div role="alert" className="notice notice-error">
                  <p>{saveProblems ? t('notSaved.template') : t('notSaved.other', { message: errorMessage(save.error) })}</p>
                </div>
              ) : null}
            </div>
          </Section>
        </form>
        <div className="stack">
          <Section title={t('preview.sample')}>
            <div className="stack">
              <Field label={t('preview.title')} hint={t('preview.titleHint')}>
                {(props) => <input {...props} value={sampleTitle} onChange={(e) => setSampleTitle(e.target.value)} />}
              </Field>
              <Field label={t('preview.body')} hint={t('preview.titleHint')}>
                {(props) => <textarea {...props} value={sampleBody} onChange={(e) => setSampleBody(e.target.value)} rows={3} />}
              </Field>
            </div>
          </Section>
          <TemplatePreview preview={preview} keyMissing={badKey !== undefined} />
        </div>
      </div>
    </Page>
  );
}
