import { css } from 'lit';

/**
 * The toolbar: the search box, the type filter and the unread-only switch (the preferences' switches
 * and selects share these rules).
 */
export const toolbar = css`
  .toolbar {
    display: grid;
    gap: 8px;
    padding-block: 12px 8px;
    padding-inline: 16px;
  }
  .search {
    position: relative;
  }
  .search .icon {
    position: absolute;
    inset-block-start: 50%;
    inset-inline-start: 10px;
    inline-size: 18px;
    block-size: 18px;
    transform: translateY(-50%);
    color: var(--_muted);
    pointer-events: none;
  }
  input[type='search'] {
    inline-size: 100%;
    block-size: 36px;
    padding-inline: 36px 10px;
    border: 1px solid var(--_field);
    border-radius: 8px;
    background: var(--_bg);
  }
  input[type='search']::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  .filters {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 16px;
  }
  select {
    flex: 0 1 auto;
    min-inline-size: 0;
    max-inline-size: 12rem;
    block-size: 32px;
    padding-inline: 8px;
    border: 1px solid var(--_field);
    border-radius: 8px;
    background: var(--_bg);
  }
  .switch {
    flex: none;
    display: inline-flex;
    align-items: center;
    gap: 8px;
    cursor: pointer;
    user-select: none;
  }
  input[role='switch'] {
    appearance: none;
    position: relative;
    flex: none;
    inline-size: 34px;
    block-size: 20px;
    margin: 0;
    border-radius: 10px;
    background: var(--_field);
    cursor: pointer;
    transition: background-color 120ms;
  }
  input[role='switch']::before {
    content: '';
    position: absolute;
    inset-block-start: 2px;
    inset-inline-start: 2px;
    inline-size: 16px;
    block-size: 16px;
    border-radius: 50%;
    background: #ffffff;
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.3);
    transition: inset-inline-start 120ms;
  }
  input[role='switch']:checked {
    background: var(--_accent);
  }
  input[role='switch']:checked::before {
    inset-inline-start: 16px;
    background: var(--_accent-fg);
  }
  input[role='switch']:disabled {
    opacity: 0.6;
    cursor: default;
  }
`;
