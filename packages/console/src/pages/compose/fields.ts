import type { Draft } from './draft.ts';

/** What every part of the form gets: the draft, a way to change it, and the error shown per field. */
export interface DraftFieldsProps {
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  errors: Partial<Record<keyof Draft, string>>;
}
