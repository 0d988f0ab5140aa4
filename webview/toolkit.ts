// The only module that imports @vscode/webview-ui-toolkit (deprecated upstream: keeping every use
// here makes a move to another component library a change of this file alone). It registers the
// few form controls the panel uses and builds them.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeProgressRing());
}

/** A button (icon-only when `iconOnly`; the label then goes to aria-label and the tooltip). */
export function button(label: string, codicon: string, onClick: () => void, iconOnly = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', iconOnly ? 'icon' : 'secondary');
  b.setAttribute('aria-label', label);
  b.title = label;
  const i = document.createElement('span');
  i.className = `codicon codicon-${codicon}`;
  if (iconOnly) b.append(i);
  else {
    i.setAttribute('slot', 'start');
    b.append(i, label);
  }
  b.addEventListener('click', onClick);
  return b;
}

/** A dropdown of options; `value` reads and writes the selected option's value. */
export interface Dropdown { el: HTMLElement; value: string; setOptions(options: { value: string; label: string }[], selected: string): void }
export function dropdown(label: string, onChange: (value: string) => void): Dropdown {
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  d.setAttribute('aria-label', label);
  d.title = label;
  d.addEventListener('change', () => onChange(d.value));
  return {
    el: d,
    get value() { return d.value; },
    set value(v: string) { d.value = v; },
    setOptions(options, selected) {
      d.replaceChildren(...options.map((o) => {
        const opt = document.createElement('vscode-option');
        opt.setAttribute('value', o.value);
        opt.textContent = o.label;
        if (o.value === selected) opt.setAttribute('selected', '');
        return opt;
      }));
      d.value = selected;
    },
  };
}

export interface TextField { el: HTMLElement; value: string }
export function textField(label: string, placeholder: string, onInput: (value: string) => void, onEnter?: (value: string) => void): TextField {
  const t = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  t.setAttribute('aria-label', label);
  t.setAttribute('placeholder', placeholder);
  t.title = label;
  t.addEventListener('input', () => onInput(t.value ?? ''));
  if (onEnter) t.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') onEnter(t.value ?? ''); });
  return { el: t, get value() { return t.value ?? ''; }, set value(v: string) { t.value = v; } };
}

export function progressRing(): HTMLElement {
  const r = document.createElement('vscode-progress-ring');
  r.setAttribute('aria-label', 'simulating');
  return r;
}
