import { useStrings } from '../i18n/index.tsx';
import { Field } from '../ui/index.ts';
import { appStrings } from './strings.ts';
import type { SignInState } from './useSignIn.ts';

/** Sign in with a pasted admin token, kept for the browser or only for this tab. */
export function PasteTokenForm({ signIn }: { signIn: SignInState }) {
  const t = useStrings(appStrings);
  return (
    <form className="card stack" onSubmit={signIn.onPaste} noValidate>
      <p>{t('signInIntro')}</p>
      <Field label={t('tokenLabel')} hint={t('tokenHint')} error={signIn.inputProblem === 'tokenRequired' ? t('tokenRequired') : undefined}>
        {(props) => (
          <textarea
            {...props}
            className="mono"
            rows={4}
            value={signIn.token}
            onChange={(event) => signIn.setToken(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <div className="stack-tight">
        <label className="choice">
          <input type="checkbox" checked={signIn.stayInTab} onChange={(event) => signIn.setStayInTab(event.target.checked)} aria-describedby="stay-hint" />
          {t('stayInTab')}
        </label>
        <p id="stay-hint" className="muted field-hint">
          {t('stayInTabHint')}
        </p>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={signIn.checking}>
          {t('signIn')}
        </button>
        <span role="status" className="muted">
          {signIn.checking ? t('checking') : ''}
        </span>
      </div>
    </form>
  );
}
