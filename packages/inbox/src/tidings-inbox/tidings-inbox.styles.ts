import { base } from './styles/base.ts';
import { list } from './styles/list.ts';
import { bell, panel } from './styles/panel.ts';
import { preferences } from './styles/preferences.ts';
import { toasts } from './styles/toasts.ts';
import { toolbar } from './styles/toolbar.ts';

/** The element's styles, in cascade order. */
export const inboxStyles = [base, bell, panel, toolbar, list, preferences, toasts];
