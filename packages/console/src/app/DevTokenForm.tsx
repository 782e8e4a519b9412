import { useStrings } from '../i18n/index.tsx';
import { Field, Section } from '../ui/index.ts';
import { appStrings } from './strings.ts';
import type { SignInState } from './useSignIn.ts';

/** In development only: sign in with an admin token the server issues for a user id. */
export function DevTokenForm({ signIn }: { signIn: SignInState }) {
  const t = useStrings(appStrings);
  return (
    <Section title={t('devTitle')} className="card">
      <form className="stack" onSubmit={signIn.onDev} noValidate>
        <p>{t('devIntro')}</p>
        <Field label={t('devUserLabel')} error={signIn.inputProblem === 'devUserRequired' ? t('devUserRequired') : undefined}>
          {(props) => <input {...props} value={signIn.devUser} onChange={(event) => signIn.setDevUser(event.target.value)} autoComplete="off" />}
        </Field>
        <div>
          <button type="submit" className="btn" disabled={signIn.checking}>
            {t('devSignIn')}
          </button>
        </div>
      </form>
    </Section>
  );
}
