#!/usr/bin/env python3
"""Generate assembly/unicode/tables.ts: the Unicode tables raxe needs to match
Python's `re` exactly (str patterns, no ASCII/LOCALE flag).

Stdlib only. Every table is derived from the running interpreter's own `re` /
`_sre` behaviour, so regenerate with the Python version the oracle uses:

    python3 scripts/gen-unicode.py            # writes assembly/unicode/tables.ts
    python3 scripts/gen-unicode.py -o FILE    # elsewhere

Exports (all StaticArray<u32>, ascending, ranges inclusive and merged):
  WORD_RANGES, DIGIT_RANGES, SPACE_RANGES, CASED_RANGES   [lo, hi, lo, hi, ...]
  LOWER_MAP   [cp, lower, ...]  cp where _sre.unicode_tolower(cp) != cp
  UPPER_MAP   [cp, upper, ...]  cp where sre_upper_unicode(cp) != cp
  CASE_FIXES  [key, n, v1..vn, ...] from re._casefix._EXTRA_CASES

About UPPER_MAP: _sre has no unicode_toupper binding, but the C matcher uses
sre_upper_unicode() == _PyUnicode_ToUppercase() for RANGE_UNI_IGNORE. For
code points with a multi-character full uppercase (e.g. U+00DF 'ß' -> "SS",
U+1F80 -> "ἈΙ") that function returns the FIRST character of the full
mapping, i.e. exactly ord(chr(cp).upper()[0]). We use that (and cross-check it
against the C function via ctypes when the symbol is reachable), because that
is what Python's matcher really does. Likewise unicode_tolower(cp) ==
ord(chr(cp).lower()[0]) (checked below).
"""
import argparse
import os
import re
import sys

import _sre

try:
    from re import _casefix
except ImportError:  # Python < 3.11 layout
    import sre_compile as _casefix  # type: ignore

MAX = 0x10FFFF
PER_LINE = 16


def ranges_of(pred):
    out = []
    lo = None
    for c in range(MAX + 1):
        if pred(c):
            if lo is None:
                lo = c
        elif lo is not None:
            out.append((lo, c - 1))
            lo = None
    if lo is not None:
        out.append((lo, MAX))
    return out


def flat(pairs):
    return [x for p in pairs for x in p]


def c_toupper():
    """_PyUnicode_ToUppercase via ctypes, or None if unreachable."""
    try:
        import ctypes
        f = ctypes.pythonapi._PyUnicode_ToUppercase
        f.restype = ctypes.c_uint32
        f.argtypes = [ctypes.c_uint32]
        return f
    except Exception:
        return None


def sre_upper(c):
    return ord(chr(c).upper()[0])


def fmt_array(name, values, doc):
    lines = ['/** %s (%d u32) */' % (doc, len(values)),
             'export const %s: StaticArray<u32> = [' % name]
    for i in range(0, len(values), PER_LINE):
        chunk = values[i:i + PER_LINE]
        lines.append('  ' + ', '.join('0x%X' % v for v in chunk) + ',')
    lines.append('];')
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('-o', '--out', default=os.path.join(
        here, '..', 'assembly', 'unicode', 'tables.ts'))
    args = ap.parse_args()

    problems = []

    # --- \w \d \s: definition, verified against the real engine ----------
    w_re = re.compile(r'\w')
    d_re = re.compile(r'\d')
    s_re = re.compile(r'\s')

    def is_word(c):
        return chr(c).isalnum() or c == 0x5F

    def is_digit(c):
        return chr(c).isdecimal()

    def is_space(c):
        return chr(c).isspace()

    word, digit, space = [], [], []
    for c in range(MAX + 1):
        ch = chr(c)
        rw = w_re.match(ch) is not None
        rd = d_re.match(ch) is not None
        rs = s_re.match(ch) is not None
        if rw != is_word(c):
            problems.append('\\w mismatch at U+%04X' % c)
        if rd != is_digit(c):
            problems.append('\\d mismatch at U+%04X' % c)
        if rs != is_space(c):
            problems.append('\\s mismatch at U+%04X' % c)
        word.append(rw)
        digit.append(rd)
        space.append(rs)

    WORD = ranges_of(lambda c: word[c])
    DIGIT = ranges_of(lambda c: digit[c])
    SPACE = ranges_of(lambda c: space[c])
    CASED = ranges_of(lambda c: _sre.unicode_iscased(c))

    # --- case maps ---------------------------------------------------------
    cup = c_toupper()
    lower_map, upper_map = [], []
    idem_fail = []
    for c in range(MAX + 1):
        lo = _sre.unicode_tolower(c)
        if lo != ord(chr(c).lower()[0]):
            problems.append('tolower != lower()[0] at U+%04X' % c)
        if lo != c:
            lower_map.append((c, lo))
        if _sre.unicode_tolower(lo) != lo:
            idem_fail.append(c)
        up = sre_upper(c)
        if cup is not None and cup(c) != up:
            problems.append('_PyUnicode_ToUppercase != upper()[0] at U+%04X' % c)
        if up != c:
            upper_map.append((c, up))

    fixes = []
    for k in sorted(_casefix._EXTRA_CASES):
        vs = _casefix._EXTRA_CASES[k]
        fixes.append(k)
        fixes.append(len(vs))
        fixes.extend(vs)

    # --- emit -------------------------------------------------------------
    pyver = sys.version.split()[0]
    header = (
        '// Unicode tables for raxe, derived from Python %s `re` / `_sre`.\n'
        '// generated by scripts/gen-unicode.py — do not edit\n'
        '//\n'
        '// Ranges are flattened [lo, hi, lo, hi, ...], inclusive, ascending, merged.\n'
        '// Maps are flattened [cp, value, cp, value, ...], ascending by cp.\n'
        '// UPPER_MAP is sre_upper_unicode() (_PyUnicode_ToUppercase), which for\n'
        '// multi-char full uppercases is the FIRST char (e.g. U+00DF -> U+0053).\n'
        '// CASE_FIXES is re._casefix._EXTRA_CASES as [key, n, v1..vn, ...].\n'
    ) % pyver
    parts = [header,
             'export const PYTHON_VERSION: string = "%s";\n' % pyver,
             fmt_array('WORD_RANGES', flat(WORD), "ranges where re `\\w` matches"),
             fmt_array('DIGIT_RANGES', flat(DIGIT), "ranges where re `\\d` matches"),
             fmt_array('SPACE_RANGES', flat(SPACE), "ranges where re `\\s` matches"),
             fmt_array('CASED_RANGES', flat(CASED), 'ranges where _sre.unicode_iscased'),
             fmt_array('LOWER_MAP', flat(lower_map), 'cp -> _sre.unicode_tolower(cp), where different'),
             fmt_array('UPPER_MAP', flat(upper_map), 'cp -> sre_upper_unicode(cp), where different'),
             fmt_array('CASE_FIXES', fixes, 're._casefix._EXTRA_CASES as [key, n, v1..vn]'),
             ]
    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as fh:
        fh.write('\n\n'.join(parts) + '\n')

    stats = {
        'WORD_RANGES': len(WORD), 'DIGIT_RANGES': len(DIGIT),
        'SPACE_RANGES': len(SPACE), 'CASED_RANGES': len(CASED),
        'LOWER_MAP': len(lower_map), 'UPPER_MAP': len(upper_map),
        'CASE_FIXES': len(_casefix._EXTRA_CASES),
    }
    print('wrote %s (Python %s): %s' % (out, pyver, ', '.join(
        '%s=%d' % kv for kv in stats.items())), file=sys.stderr)
    if idem_fail:
        print('tolower idempotence: FAILS for %d code points: %s' % (
            len(idem_fail), ', '.join('U+%04X' % c for c in idem_fail[:50])),
            file=sys.stderr)
    else:
        print('tolower idempotence: OK — _sre.unicode_tolower(_sre.unicode_tolower(c)) '
              '== _sre.unicode_tolower(c) for all c in 0..0x10FFFF', file=sys.stderr)
    print('upper check: %s' % ('ctypes _PyUnicode_ToUppercase == chr(c).upper()[0] for all c'
                               if cup is not None else 'ctypes symbol unavailable; used chr(c).upper()[0]'),
          file=sys.stderr)
    if problems:
        print('PROBLEMS (%d): %s' % (len(problems), '; '.join(problems[:20])), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
