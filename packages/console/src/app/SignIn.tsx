import { useSessionState } from '../api/session.tsx';
import { useStrings } from '../i18n/index.tsx';
import { Page } from '../ui/index.ts';
import { DevTokenForm } from './DevTokenForm.tsx';
import { PasteTokenForm } from './PasteTokenForm.tsx';
import { appStrings } from './strings.ts';
import { useSignIn } from './useSignIn.ts';

/** The signed-out screen: paste an admin token, or in development get one for a user id. */
export function SignIn() {
  const t = useStrings(appStrings);
  const { reason } = useSessionState();
  const signIn = useSignIn();
  const { problemText } = signIn;
  return (
    <div className="sign-in">
      <Page title={t('signInTitle')}>
        {reason ? (
          <p role="status" className={reason === 'expired' ? 'notice notice-error' : 'notice notice-info'}>
            {reason === 'expired' ? t('expired') : t('signedOut')}
          </p>
        ) : null}
        <div role="alert" className={problemText ? 'notice notice-error' : undefined}>
          {problemText}
        </div>
        <PasteTokenForm signIn={signIn} />
        {signIn.devTokens === true ? (
          <DevTokenForm signIn={signIn} />
        ) : signIn.devTokens === false ? (
          <p className="muted">
            {t('productionHint')} <code className="mono">{t('productionCommand')}</code> {t('productionHintEnd')}
          </p>
        ) : null}
      </Page>
    </div>
  );
}
