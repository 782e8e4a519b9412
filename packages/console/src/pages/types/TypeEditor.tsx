import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { Page, Section, useErrorMessage } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { draftToUpsert, keyProblem, previewRequest, type NotificationType, type TypeDraft } from './model.ts';
import { SampleFields } from './SampleFields.tsx';
import { strings } from './strings.ts';
import { TemplatePreview, templateProblems, usePreview } from './TemplatePreview.tsx';
import { TypeSettingsFields } from './TypeSettingsFields.tsx';
import { useSaveType } from './useSaveType.ts';

interface TypeEditorProps {
  /** Where the draft starts: a loaded type, or the defaults of a new one. */
  initial: TypeDraft;
  /** A new type: the key is a field. */
  isNew: boolean;
  /** Set when the page was reached by saving a new type. */
  justSaved?: boolean;
  onSaved: (type: NotificationType) => void;
}

/** Edit a type's description, defaults, critical flag and MJML template, with a live preview. */
export function TypeEditor({ initial, isNew, justSaved = false, onSaved }: TypeEditorProps) {
  const t = useStrings(strings);
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState(initial);
  const [sampleTitle, setSampleTitle] = useState('');
  const [sampleBody, setSampleBody] = useState('');
  const [showKeyProblem, setShowKeyProblem] = useState(false);
  const set = <K extends keyof TypeDraft>(field: K, value: TypeDraft[K]) => setDraft((d) => ({ ...d, [field]: value }));

  const key = draft.key.trim();
  const badKey = keyProblem(key);
  const preview = usePreview(badKey ? undefined : key, previewRequest(draft.template, sampleTitle, sampleBody));

  const { save, status, setStatus } = useSaveType(key, justSaved, onSaved);
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
              <TypeSettingsFields
                draft={draft}
                set={set}
                isNew={isNew}
                keyError={showKeyProblem && badKey ? t(`key.${badKey}`) : undefined}
                onKeyBlur={() => setShowKeyProblem(key !== '')}
                templateError={templateError}
              />
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
          <SampleFields title={sampleTitle} body={sampleBody} onTitle={setSampleTitle} onBody={setSampleBody} />
          <TemplatePreview preview={preview} keyMissing={badKey !== undefined} />
        </div>
      </div>
    </Page>
  );
}
