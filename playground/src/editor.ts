/**
 * The YAML rule editor: CodeMirror 6 with YAML highlighting, line numbers and
 * lint diagnostics pushed in by the page (one debounced check drives both the
 * diagnostics and the scan). Tab leaves the editor, so keyboard users are not
 * trapped in it.
 */
import { EditorView, basicSetup } from 'codemirror';
import { EditorSelection } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { Problem } from './check.js';

export interface RuleEditor {
  text(): string;
  setText(text: string): void;
  showProblems(problems: readonly Problem[]): void;
  /** Moves the cursor to a 1-based line and column and focuses the editor. */
  goTo(line: number, column: number): void;
}

export function createEditor(parent: HTMLElement, labelId: string, onChange: () => void): RuleEditor {
  const view = new EditorView({
    parent,
    extensions: [
      basicSetup,
      yaml(),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-labelledby': labelId, 'aria-multiline': 'true' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChange();
      }),
    ],
  });
  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: EditorSelection.cursor(0) });
      view.scrollDOM.scrollTop = 0;
    },
    showProblems(problems) {
      const len = view.state.doc.length;
      const diagnostics: Diagnostic[] = problems.map((p) => ({
        from: Math.min(p.from, len),
        to: Math.min(Math.max(p.to, p.from), len),
        severity: 'error',
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
        source: 'raxe rules validate',
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    goTo(line, column) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      const pos = Math.min(l.from + column - 1, l.to);
      view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      view.focus();
    },
  };
}
