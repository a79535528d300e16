import { setApiKey } from './api.js';
import { h } from './dom.js';

let asking: Promise<void> | undefined;

/**
 * Ask for the API key (the server wants one): a modal form; the key is kept in sessionStorage for
 * this tab only. Resolves once a key was entered; callers asking meanwhile share the one form.
 */
export function askForKey(reason: string): Promise<void> {
  asking ??= prompt(reason).finally(() => (asking = undefined));
  return asking;
}

function prompt(reason: string): Promise<void> {
  return new Promise((resolve) => {
    const input = h('input', {
      attrs: { type: 'password', name: 'key', autocomplete: 'current-password', required: '', placeholder: 'API key', 'aria-label': 'API key' },
    });
    const dialog = h(
      'dialog',
      { class: 'key-dialog' },
      h(
        'form',
        {
          on: {
            submit: (e) => {
              e.preventDefault();
              setApiKey(input.value.trim());
              dialog.close();
              dialog.remove();
              resolve();
            },
          },
        },
        h('h2', {}, 'API key needed'),
        h('p', {}, reason),
        h('p', { class: 'note' }, 'It is one of the keys in api.apiKeys. The page keeps it in this tab only and sends it as X-API-Key.'),
        input,
        h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Continue'),
      ),
    );
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
