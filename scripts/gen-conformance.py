#!/usr/bin/env python3
"""Generate test/engine/conformance/cases.json from the hand-written list below.

    python3 scripts/gen-conformance.py

Every expected answer comes from the running Python's `re` (3.11 here), so the
list only names patterns, flags and inputs. Output:

  {
    "python": "3.11.7",
    "cases":   [{"pattern", "flags", "input", "span": [s, e] | null}],   # UTF-16 offsets
    "refused": [{"pattern", "flags", "code", "position", "python": {...}}],
    "syntax":  [{"pattern", "flags", "code": "syntax", "position", "python": {...}}]
  }

`refused`: valid-in-Python constructs raxe must refuse as 'unsupported';
`position` is the 0-based code-point index where the construct starts.
`syntax`: patterns Python itself rejects; raxe must refuse them with 'syntax';
`position` is Python's re.error.pos (code points).
"""
import json
import os
import re
import sys
import warnings

warnings.simplefilter('ignore')

I, M, S, X = re.IGNORECASE, re.MULTILINE, re.DOTALL, re.VERBOSE

# Handy Unicode samples
E_ACUTE = '\u00e9'     # é
ZHE = '\u0416'         # Ж
ZHE_L = '\u0436'       # ж
AR3 = '\u0663'         # ٣ Arabic-Indic digit three
NBSP = '\u00a0'
IDSP = '\u3000'        # ideographic space
GRIN = '\U0001F600'    # 😀 (astral, not \w)
BOLD_A = '\U0001D400'  # 𝐀 (astral, \w, uncased)
DES_A = '\U00010400'   # 𐐀 Deseret capital long I (astral, cased)
DES_a = '\U00010428'   # 𐐨 its lowercase
KELVIN = '\u212a'
LONG_S = '\u017f'
SHARP_S = '\u00df'
CAP_SHARP_S = '\u1e9e'
DOT_I = '\u0130'       # İ
DOTLESS_i = '\u0131'   # ı
MICRO = '\u00b5'

# (pattern, flags, [inputs])
GROUPS = [
    # ---------------------------------------------------------------- literals
    ('abc', 0, ['abc', 'xxabcxx', 'ab', 'ABC', '', 'aabc', 'abcabc']),
    ('a', 0, ['', 'a', 'ba', 'bbb', E_ACUTE + 'a']),
    (E_ACUTE, 0, ['caf' + E_ACUTE, 'cafe', 'E' + E_ACUTE, E_ACUTE.upper()]),
    (ZHE + 'и', 0, ['x' + ZHE + 'и', ZHE_L + 'и', ZHE + 'И']),
    (GRIN, 0, ['a' + GRIN + 'b', GRIN, 'x', GRIN + GRIN]),
    ('a' + GRIN + 'b', 0, ['xa' + GRIN + 'b', 'ab', GRIN + 'a' + GRIN + 'b']),
    (BOLD_A + 'x', 0, [BOLD_A + 'x', 'Ax', GRIN + BOLD_A + 'x']),
    ('', 0, ['', 'abc', GRIN]),
    ('hello world', 0, ['say hello world!', 'hello  world', 'helloworld']),
    # ---------------------------------------------------------------- escapes
    (r'\n', 0, ['a\nb', 'a\\nb', 'ab']),
    (r'\t', 0, ['a\tb', 'a b', 'a\\tb']),
    (r'\r\n', 0, ['x\r\ny', 'x\n\ry', 'x\ny']),
    (r'\f', 0, ['a\fb', 'ab']),
    (r'\v', 0, ['a\vb', 'ab', 'a\x0bb']),
    (r'\0', 0, ['a\0b', 'a0b', 'ab']),
    (r'a\0b', 0, ['a\0b', 'a0b']),
    (r'\x41', 0, ['A', 'a', 'xAx', '\\x41']),
    (r'\x7e\x20', 0, ['~ ', '~', 'x~ y']),
    (r'\xe9', 0, [E_ACUTE, 'e', 'x' + E_ACUTE]),
    (r'\u00e9t\u00e9', 0, [E_ACUTE + 't' + E_ACUTE, 'ete', 'l' + E_ACUTE + 't' + E_ACUTE]),
    (r'\u0416', 0, [ZHE, ZHE_L, 'x' + ZHE]),
    (r'\u3000', 0, [IDSP, ' ', 'a' + IDSP]),
    (r'\\', 0, ['\\', 'a\\b', 'ab', '\\\\']),
    (r'a\\b', 0, ['a\\b', 'ab', 'a\\\\b']),
    (r'\.', 0, ['.', 'a', 'a.b']),
    (r'\*\+\?', 0, ['*+?', '*+', 'x*+?y']),
    (r'\(\)', 0, ['()', '(x)', 'a()b']),
    (r'\[\]', 0, ['[]', '[x]', '[]]']),
    (r'\{\}', 0, ['{}', '{x}', 'a{}']),
    (r'\|', 0, ['|', 'a|b', 'ab']),
    (r'\^\$', 0, ['^$', '$^', 'x^$']),
    (r'\-\#\ \&\~', 0, ['-# &~', '-#&~']),
    (r'1\.5', 0, ['1.5', '105', '1x5 1.5']),
    # ---------------------------------------------------------------- dot
    ('.', 0, ['', 'a', '\n', '\na', '\r', GRIN, E_ACUTE]),
    ('a.c', 0, ['abc', 'a\nc', 'a' + GRIN + 'c', 'ac', 'a\rc']),
    ('a.c', S, ['abc', 'a\nc', 'ac']),
    ('.+', 0, ['ab\ncd', '\nab', '\n\n', GRIN + 'x\ny']),
    ('.+', S, ['ab\ncd', '\nab', '\n\n']),
    ('.*', 0, ['', '\n', 'abc\n']),
    ('a.*b', 0, ['a\nb', 'axxb', 'axbxb', 'ab']),
    ('a.*b', S, ['a\nb', 'axbxb']),
    ('.{3}', 0, ['ab', 'abc', 'a' + GRIN + 'bc', 'a\nbcd']),
    # ---------------------------------------------------------------- classes
    ('[abc]', 0, ['a', 'xyzc', 'xyz', '', 'B']),
    ('[a-z]+', 0, ['ABCdefGHI', '123', 'a-z', E_ACUTE + 'ab']),
    ('[A-Za-z0-9_]+', 0, ['  foo_Bar9!', '!!', E_ACUTE]),
    ('[^abc]', 0, ['abc', 'abcd', '', '\n', GRIN]),
    ('[^a-z]+', 0, ['abcDEF', 'abc', 'ab\ncd']),
    ('[]a]', 0, [']', 'a', 'b', 'x]']),
    ('[]]+', 0, ['a]]]b', 'abc']),
    ('[^]a]', 0, [']', 'a', 'b', ']a]b']),
    ('[a-]', 0, ['-', 'a', 'b']),
    ('[-a]', 0, ['-', 'a', 'b']),
    ('[a\\-z]', 0, ['-', 'a', 'z', 'b']),
    ('[-]', 0, ['-', 'a']),
    ('[\\]]', 0, [']', '\\', 'a']),
    ('[\\\\]', 0, ['\\', 'a']),
    ('[\\[\\]]+', 0, ['x[]y', 'x']),
    ('[.]', 0, ['.', 'a']),
    ('[*+?{}()|$^]+', 0, ['a*+?{}()|$^b', 'abc']),
    ('[a^]', 0, ['^', 'a', 'b']),
    ('[\\^a]', 0, ['^', 'a', 'b']),
    ('[\\n\\t]', 0, ['\n', '\t', 'n', 't', ' ']),
    ('[\\x41-\\x43]+', 0, ['ABCD', '@', 'abc']),
    ('[\\u0400-\\u04ff]+', 0, ['hi ' + ZHE + 'ук!', 'hi']),
    ('[а-я]+', 0, ['Привет', 'ПРИВЕТ', 'abc']),
    ('[' + E_ACUTE + 'e]', 0, ['e', E_ACUTE, 'E', E_ACUTE.upper()]),
    ('[' + GRIN + '-\U0001F602]', 0, [GRIN, '\U0001F601', '\U0001F603', 'a']),
    ('[a' + GRIN + ']+', 0, ['xa' + GRIN + 'ay', GRIN]),
    ('[^' + GRIN + ']', 0, [GRIN, GRIN + 'a', '\U0001F601']),
    ('[\\d]+', 0, ['ab123', AR3 + '1', 'abc']),
    ('[\\w-]+', 0, ['foo-bar baz', '---', E_ACUTE + '-' + ZHE]),
    ('[^\\w]', 0, ['abc', 'ab c', E_ACUTE + '!', GRIN]),
    ('[^\\s]+', 0, ['  ab  ', NBSP + 'x' + NBSP, '\t\n']),
    ('[\\s\\d]+', 0, ['ab 1 2c', 'abc']),
    ('[\\D]', 0, ['12a', '123', AR3 + 'x']),
    ('[\\W\\d]+', 0, ['abc1!2', 'abc']),
    ('[\\S]', 0, [' \t', ' x']),
    ('[0-9a-fA-F]+', 0, ['0xDEADbeef', 'xyz']),
    ('[[a]', 0, ['[', 'a', 'b']),
    ('[a-c-e]', 0, ['-', 'd', 'e', 'b']),
    ('[%--]', 0, ['%', '+', '-', '.']),
    ('[\\0]', 0, ['\0', '0']),
    ('[ ]', 0, [' ', 'a']),
    ('[#]', X, ['#', 'a']),
    ('[ a]', X, [' ', 'a', 'b']),
    # ---------------------------------------------------------------- shorthands on Unicode
    (r'\d', 0, ['a1', AR3, '\uff13', '\u00b2', 'x', '\u0bea', '\U0001D7CE']),
    (r'\d+', 0, ['abc 12' + AR3 + '45', '\u00b2\u00b3', '\u2163']),
    (r'\D', 0, ['12', AR3 + AR3, '1a', '\u00b2']),
    (r'\w', 0, [E_ACUTE, ZHE, AR3, '_', '-', GRIN, BOLD_A, '\u00b2', '\u2163', '\u0301', '\u4e2d', ' ']),
    (r'\w+', 0, ['caf' + E_ACUTE + ' ok', ZHE + 'ук-x', '  ' + BOLD_A + DES_A + 'z!', GRIN + GRIN]),
    (r'\W', 0, ['abc', 'ab!', E_ACUTE + GRIN, '\u00a0', '_']),
    (r'\W+', 0, [GRIN + ' !x', 'abc']),
    (r'\s', 0, [' ', '\t', '\n', '\r', '\f', '\v', NBSP, IDSP, '\u2028', '\u0085', '\x1c', '\x1f',
                '\u200b', '\ufeff', '\u180e', 'x']),
    (r'\s+', 0, ['a \t\n b', 'a' + NBSP + IDSP + 'b', 'ab']),
    (r'\S', 0, [' ', ' ' + NBSP + 'x', GRIN + ' ']),
    (r'\S+', 0, ['  ' + GRIN + E_ACUTE + '  ', '   ']),
    (r'\w\s\d', 0, [E_ACUTE + NBSP + AR3, 'a 1', 'a  1']),
    # ---------------------------------------------------------------- anchors
    ('^abc', 0, ['abc', 'xabc', 'x\nabc']),
    ('^abc', M, ['abc', 'xabc', 'x\nabc', 'x\rabc']),
    ('abc$', 0, ['abc', 'abc\n', 'abc\n\n', 'abcx', 'abc\nx', 'abc\r\n']),
    ('abc$', M, ['abc', 'abc\n', 'abc\nx', 'abc\n\n', 'abcx\nabc']),
    ('^$', 0, ['', '\n', 'a', '\n\n']),
    ('^$', M, ['', '\n', 'a', 'a\n', 'a\n\nb', 'ab\n']),
    ('$', 0, ['', 'abc', 'abc\n', 'a\nb\n']),
    ('$', M, ['abc', 'a\nb']),
    ('^', 0, ['', 'abc']),
    ('^', M, ['abc', '\nabc']),
    ('x^', M, ['x\nx', 'xx']),
    ('\n^', M, ['a\nb', 'a\n']),
    ('$\n', M, ['a\nb', 'a']),
    ('a$\n', 0, ['a\n', 'a\nb']),
    (r'\Aabc', 0, ['abc', 'xabc', 'x\nabc']),
    (r'\Aabc', M, ['abc', 'x\nabc']),
    (r'abc\Z', 0, ['abc', 'abc\n', 'xabc']),
    (r'abc\Z', M, ['abc', 'abc\n', 'abc\nabc']),
    (r'\A\Z', 0, ['', '\n']),
    (r'\A$', 0, ['', '\n', 'a']),
    (r'^a|b$', M, ['xa\nb\n', 'ba']),
    ('^.*$', 0, ['abc', 'abc\ndef', '\nabc']),
    ('^.*$', M, ['abc\ndef', '\nabc']),
    ('^.*$', M | S, ['abc\ndef']),
    (r'\d$', M, ['1\n2', 'a\n2\n']),
    # ---------------------------------------------------------------- word boundaries
    (r'\bfoo\b', 0, ['foo', 'a foo b', 'foobar', 'barfoo', 'foo_', E_ACUTE + 'foo', 'foo' + E_ACUTE, 'foo' + GRIN]),
    (r'\b' + E_ACUTE, 0, ['caf' + E_ACUTE, ' ' + E_ACUTE + 't' + E_ACUTE, E_ACUTE]),
    (E_ACUTE + r'\b', 0, [E_ACUTE + '!', E_ACUTE + 'a', 'caf' + E_ACUTE]),
    (r'\b', 0, ['', 'a', ' ', '  a', GRIN + E_ACUTE]),
    (r'\B', 0, ['', 'a', 'ab', ' ', '  ', 'a b']),
    (r'\Bb', 0, ['ab', ' b', 'b']),
    (r'\b\w+\b', 0, ['  ' + ZHE + 'ук ', GRIN + BOLD_A + GRIN, '--' + AR3 + AR3 + '--']),
    (r'a\B', 0, ['a', 'ab', 'a b', 'a' + E_ACUTE]),
    (r'\B' + E_ACUTE + r'\B', 0, ['caf' + E_ACUTE, 'caf' + E_ACUTE + 's', E_ACUTE + E_ACUTE + E_ACUTE]),
    (r'\bx', 0, ['_x', '-x', '\u0301x', GRIN + 'x', '5x']),
    (r'\b\d', 0, ['a1 2', AR3 + '1']),
    # ---------------------------------------------------------------- groups
    ('(abc)', 0, ['xabcx', 'ab']),
    ('(a)(b)(c)', 0, ['abc', 'xabcx']),
    ('(?:ab)+', 0, ['ababab', 'aba', 'b']),
    ('(?P<word>\\w+)', 0, ['  hello  ', '!!']),
    ('(?P<a>x)(?P<b>y)?', 0, ['xy', 'x', 'y']),
    ('((a)b)c', 0, ['abc', 'ab']),
    ('()', 0, ['', 'a']),
    ('(?:)', 0, ['', 'a']),
    ('a(?:)b', 0, ['ab', 'a b']),
    ('(a|)b', 0, ['b', 'ab', 'cb']),
    ('(?:(?:(?:a)))', 0, ['a', 'b']),
    # ---------------------------------------------------------------- alternation priority
    ('a|ab', 0, ['ab', 'b', 'xab']),
    ('ab|a', 0, ['ab', 'a', 'xa']),
    ('(a|ab)(c|bcd)', 0, ['abcd', 'acd', 'abc']),
    ('(?:a|ab)c', 0, ['abc', 'ac']),
    ('foo|foobar', 0, ['foobar', 'xfoobar']),
    ('foobar|foo', 0, ['foobar', 'xfoox']),
    ('b|a', 0, ['ab', 'ba']),
    ('x|y|z', 0, ['...zyx', 'abc']),
    ('|a', 0, ['a', '']),
    ('a|', 0, ['a', 'ba', '']),
    ('(?:a|b)*c|ab', 0, ['ab', 'abc', 'abab']),
    (r'\d+|\w+', 0, ['ab12', '12ab', '!!']),
    (r'cat|dog|' + E_ACUTE + 'l' + E_ACUTE + 'phant', 0, ['un ' + E_ACUTE + 'l' + E_ACUTE + 'phant', 'hotdog']),
    ('(a|b|)+c', 0, ['ababc', 'c', 'x']),
    # ---------------------------------------------------------------- quantifiers
    ('a*', 0, ['', 'aaa', 'baaa', 'b']),
    ('a+', 0, ['', 'aaa', 'baaa', 'b']),
    ('a?', 0, ['', 'a', 'ba']),
    ('ba*', 0, ['baaa', 'b', 'abaa']),
    ('ba+', 0, ['baaa', 'b', 'bba']),
    ('ba?', 0, ['baaa', 'b']),
    ('a*?', 0, ['aaa', '']),
    ('a+?', 0, ['aaa', 'baa']),
    ('a??', 0, ['a', '']),
    ('ba*?', 0, ['baaa']),
    ('ba+?', 0, ['baaa', 'b']),
    ('ba??', 0, ['ba']),
    ('a*?b', 0, ['aaab', 'b', 'aaa']),
    ('a.*?b', 0, ['axbxb', 'ab', 'a\nb']),
    ('a.+?b', 0, ['axbxb', 'abb', 'ab']),
    ('<.*>', 0, ['<a><b>', '<>']),
    ('<.*?>', 0, ['<a><b>', '<>', 'x<']),
    ('<[^>]*>', 0, ['<a><b>']),
    ('a{3}', 0, ['aa', 'aaa', 'aaaaa', 'baaab']),
    ('a{2,}', 0, ['a', 'aa', 'aaaaa']),
    ('a{2,4}', 0, ['a', 'aa', 'aaaaaa', 'baaab']),
    ('a{,2}', 0, ['', 'aaa', 'baa']),
    ('ba{,2}', 0, ['b', 'baaa']),
    ('ba{,}', 0, ['b', 'baaaa']),
    ('ba{0}', 0, ['ba', 'b']),
    ('ba{0,0}', 0, ['ba']),
    ('ba{1,1}c', 0, ['bac', 'bc', 'baac']),
    ('ba{2,4}?', 0, ['baaaa', 'ba']),
    ('ba{2,}?', 0, ['baaaa']),
    ('ba{,3}?', 0, ['baaa']),
    ('ba{3}?', 0, ['baaaa', 'baa']),
    ('ba{,}?c', 0, ['bc', 'baac']),
    ('(ab){2}', 0, ['ababab', 'abab', 'ab']),
    ('(?:ab){1,2}c', 0, ['ababc', 'abc', 'ac']),
    ('(?:a|bc){2,3}', 0, ['abca', 'bcbcbc', 'a']),
    (r'\d{2,3}-\d{4}', 0, ['call 555-1234 now', '55-123', AR3 + AR3 + '-1234']),
    ('x*y*z*', 0, ['', 'zyx', 'xxyyzz', 'q']),
    ('(a*)*', 0, ['', 'aa', 'b']),
    ('(a*)+', 0, ['', 'aa', 'b']),
    ('(a+)*b', 0, ['aab', 'b', 'aa']),
    ('(a?)+?b', 0, ['aab', 'b']),
    ('(a*?)*?b', 0, ['aab', 'b']),
    ('(?:a+|b)*c', 0, ['aabac', 'xc', 'ab']),
    ('(?:x|xy)*z', 0, ['xyxz', 'xxz', 'z']),
    ('(?:a*b*)*c', 0, ['abbac', 'c']),
    ('(?:a|ab)*?c', 0, ['ababc', 'aac']),
    ('[ab]*?b', 0, ['aab', 'b', 'ba']),
    (GRIN + '+', 0, ['x' + GRIN * 3 + 'y', 'x']),
    (GRIN + '{2}', 0, [GRIN, GRIN * 3]),
    (E_ACUTE + '?t', 0, ['t', E_ACUTE + 't', 'et']),
    ('.*?x', 0, ['abcxdx', 'x', '']),
    ('.*x', 0, ['abcxdx', 'x']),
    ('(?:.|\\n)*?end', 0, ['a\nb end end']),
    ('a{2}b{2,}c{0,1}', 0, ['aabbbc', 'aabb', 'abbc']),
    # ---------------------------------------------------------------- literal braces
    ('a{', 0, ['a{', 'a', 'xa{b']),
    ('a{x}', 0, ['a{x}', 'ax', 'aaa']),
    ('{}', 0, ['{}', 'x{}y', '{']),
    ('{', 0, ['{', 'a']),
    ('}', 0, ['}', 'a']),
    ('a{1', 0, ['a{1', 'a']),
    ('a{1,', 0, ['a{1,', 'a']),
    ('a{1,2', 0, ['a{1,2', 'aa']),
    ('a{,', 0, ['a{,', 'a']),
    ('a{ 1}', 0, ['a{ 1}', 'a']),
    ('a{1 }', 0, ['a{1 }', 'a']),
    ('a{-1}', 0, ['a{-1}', 'a']),
    ('a{1,2,3}', 0, ['a{1,2,3}', 'aa']),
    ('x{a,b}', 0, ['x{a,b}']),
    ('{1', 0, ['{1', '1']),
    ('a}', 0, ['a}', 'a']),
    ('\\{2\\}', 0, ['{2}', '22']),
    ('(a){', 0, ['a{', 'a']),
    ('[a]{', 0, ['a{', 'a']),
    ('a{2, 3}', 0, ['a{2, 3}', 'aaa']),
    ('a{2, 3}', X, ['a{2,3}', 'a{2, 3}', 'aaa']),
    ('a{2,3}', X, ['aaa', 'a']),
    # ---------------------------------------------------------------- inline flags at start
    ('(?i)abc', 0, ['ABC', 'aBc', 'xAbCx', 'abd']),
    ('(?s)a.b', 0, ['a\nb', 'axb']),
    ('(?m)^b', 0, ['a\nb', 'ab']),
    ('(?m)a$', 0, ['a\nb', 'ab']),
    ('(?x) a b c ', 0, ['abc', 'a b c']),
    ('(?x)a b # comment\n c', 0, ['abc', 'ab', 'a b c']),
    ('(?im)^abc$', 0, ['x\nABC\ny', 'ABCD']),
    ('(?is)A.B', 0, ['a\nb']),
    ('(?ix) A   B', 0, ['ab', 'AB', 'a b']),
    ('(?i)(?m)^x', 0, ['a\nX']),
    ('(?i)' + E_ACUTE, 0, [E_ACUTE.upper(), E_ACUTE, 'e']),
    ('(?i)', 0, ['', 'a']),
    ('(?s)', 0, ['\n']),
    # ---------------------------------------------------------------- scoped flags
    ('a(?i:b)c', 0, ['aBc', 'abc', 'ABC', 'aBC']),
    ('(?i:a)b', 0, ['Ab', 'AB', 'ab']),
    ('(?i)a(?-i:b)c', 0, ['AbC', 'ABC', 'abc']),
    ('(?-i:a)b', I, ['aB', 'AB', 'ab']),
    ('(?i:' + ZHE + ')' + ZHE, 0, [ZHE_L + ZHE, ZHE_L + ZHE_L, ZHE + ZHE]),
    ('(?i:[a-c])x', 0, ['Bx', 'BX', 'dx']),
    ('(?-i:[a-c])x', I, ['BX', 'bX']),
    ('(?i:a|b)+', 0, ['xAbBa', 'c']),
    ('(?s:.)b', 0, ['\nb', 'xb']),
    ('(?-s:.)b', S, ['\nb', 'xb']),
    ('(?m:^b)', 0, ['a\nb', 'b']),
    ('(?-m:^b)', M, ['a\nb', 'b']),
    ('(?i:a(?-i:b)c)', 0, ['AbC', 'ABC']),
    ('(?x: a b )c', 0, ['abc', 'a bc']),
    ('(?i:k)', 0, [KELVIN, 'K', 'k']),
    ('(?i:s)', 0, [LONG_S, 'S']),
    # ---------------------------------------------------------------- IGNORECASE / Unicode folding
    ('k', I, ['k', 'K', KELVIN, 'x']),
    ('K', I, ['k', 'K', KELVIN]),
    (KELVIN, I, ['k', 'K', KELVIN]),
    ('[k]', I, ['K', KELVIN]),
    ('[a-z]', I, [KELVIN, LONG_S, 'Q', DOTLESS_i, DOT_I]),
    ('[^k]', I, ['K', KELVIN, 'j']),
    ('[^a-z]', I, [KELVIN, 'Q', '1']),
    ('s', I, ['s', 'S', LONG_S]),
    (LONG_S, I, ['s', 'S', LONG_S]),
    ('[' + LONG_S + ']', I, ['s', 'S']),
    ('[r-t]', I, [LONG_S, 'S']),
    (SHARP_S, I, [SHARP_S, CAP_SHARP_S, 'ss', 'SS']),
    (CAP_SHARP_S, I, [SHARP_S, CAP_SHARP_S]),
    ('ss', I, [SHARP_S, 'SS', 'sS']),
    ('stra' + SHARP_S + 'e', I, ['STRASSE', 'STRA' + CAP_SHARP_S + 'E', 'Stra' + SHARP_S + 'e']),
    ('σ', I, ['Σ', 'σ', 'ς']),
    ('ς', I, ['Σ', 'σ', 'ς']),
    ('Σ', I, ['Σ', 'σ', 'ς']),
    ('[σ]', I, ['ς', 'Σ']),
    ('[α-ω]+', I, ['ΑΒΓΣΩ', 'ς']),
    ('i', I, ['I', DOT_I, DOTLESS_i]),
    ('I', I, ['i', DOT_I, DOTLESS_i]),
    (DOT_I, I, ['i', 'I', DOT_I, DOTLESS_i]),
    (DOTLESS_i, I, ['i', 'I', DOT_I, DOTLESS_i]),
    ('[i]', I, [DOT_I, DOTLESS_i]),
    ('[' + DOT_I + ']', I, ['i', 'I']),
    ('µ', I, ['μ', 'Μ', MICRO]),
    ('μ', I, [MICRO, 'Μ']),
    ('θ', I, ['ϑ', 'Θ', 'ϴ']),
    ('β', I, ['ϐ', 'Β']),
    ('ε', I, ['ϵ', 'Ε']),
    ('κ', I, ['ϰ', 'Κ']),
    ('π', I, ['ϖ', 'Π']),
    ('ρ', I, ['ϱ', 'Ρ']),
    ('φ', I, ['ϕ', 'Φ']),
    ('ι', I, ['\u0345', '\u1fbe', 'Ι']),
    ('\u0345', I, ['ι', 'Ι', '\u1fbe']),
    ('\u0390', I, ['\u1fd3', '\u0390']),
    ('ΐ', I, ['\u1fd3']),
    ('ω', I, ['Ω', '\u2126']),
    ('\u2126', I, ['ω', 'Ω']),
    ('å', I, ['Å', '\u212b']),
    ('\u01c5', I, ['\u01c4', '\u01c6', '\u01c5']),
    ('\u01c6', I, ['\u01c5']),
    ('ﬀ', I, ['FF', 'ff', 'ﬀ']),
    ('привет', I, ['ПРИВЕТ', 'ПрИвЕт']),
    ('в', I, ['В', '\u1c80']),
    ('ё', I, ['Ё', 'е']),
    (ZHE, I, [ZHE_L]),
    ('[а-я]+', I, ['ПРИВЕТ мир']),
    ('[А-Я]+', I, ['привет']),
    ('ǆ', I, ['Ǆ', 'ǅ']),
    (DES_A, I, [DES_a, DES_A, 'x']),
    (DES_a, I, [DES_A]),
    ('[' + DES_A + '-\U00010402]', I, [DES_a, '\U00010429', '\U0001042b']),
    (BOLD_A, I, ['\U0001D41A', 'a', 'A', BOLD_A]),
    ('[a-z]+', I, ['Hello World']),
    ('[^a-z]+', I, ['Hello World']),
    ('hello world', I, ['HELLO WORLD', 'Hello World!']),
    ('[\\w]+', I, ['Ab' + E_ACUTE]),
    ('x[^y]z', I, ['xYz', 'xaz', 'XAZ']),
    ('caf' + E_ACUTE, I, ['CAF' + E_ACUTE.upper(), 'Caf' + E_ACUTE]),
    ('[' + E_ACUTE + ']', I, [E_ACUTE.upper()]),
    ('[À-Þ]', I, ['à', 'þ', '÷', '×', 'ÿ']),
    ('[\\u0100-\\u017f]', I, ['ā', 'Ā', 's', 'S', 'k']),
    ('\\xe9', I, [E_ACUTE.upper()]),
    ('\\u0416', I, [ZHE_L]),
    ('1', I, ['1']),
    ('[0-9]', I, ['5']),
    ('_', I, ['_']),
    ('ab|AC', I, ['Ac', 'aB']),
    ('a+', I, ['AaAa']),
    ('(?i)[^\\W\\d]', 0, ['1a', '__', E_ACUTE]),
    ('A', I | M, ['a']),
    # ---------------------------------------------------------------- VERBOSE
    ('a b c', X, ['abc', 'a b c']),
    ('a\\ b', X, ['a b', 'ab']),
    ('a[ ]b', X, ['a b', 'ab']),
    ('a # comment', X, ['a', ' # comment']),
    ('a#comment\nb', X, ['ab', 'a\nb']),
    ('a \\# b', X, ['a#b', 'a # b']),
    ('[#] a', X, ['#a', 'a']),
    ('a *', X, ['aaa', 'a *']),
    ('a +?', X, ['aaa', 'a']),
    ('( a | b ) +', X, ['abba', ' ']),
    ('(?: x ) { 2 }', X, ['xx', 'x{2}', 'x{ 2 }']),
    ('\\d{3} # area\n - \\d{4} # number', X, ['555-1234', '555 - 1234']),
    ('\n  ^ foo   # start\n  \\s+      # gap\n  bar $   # end\n', X, ['foo   bar', 'foobar', 'x foo bar']),
    ('\t a\tb \r\n', X, ['ab', 'a b']),
    ('a\\tb', X, ['a\tb']),
    ('a\\\nb', X, ['a\nb', 'ab']),
    ('a#', X, ['a', 'a#']),
    ('(?x)a b', I, ['AB']),
    ('a\u00a0b', X, ['a\u00a0b', 'ab']),
    ('a\u3000b', X, ['a\u3000b', 'ab']),
    ('a\x0bb\x0cc', X, ['abc']),
    ('a\x1cb', X, ['a\x1cb', 'ab']),
    # ---------------------------------------------------------------- mixed / realistic
    (r'(?i)ignore (all )?previous instructions', 0,
     ['Please IGNORE previous instructions.', 'ignore all previous instructions', 'ignore  previous instructions']),
    (r'\b(?:password|passwd|pwd)\s*[:=]\s*\S+', I, ['my PASSWORD = hunter2!', 'pwd:', 'passwords: x']),
    (r'[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', 0, ['mail bob.x@example.com now', 'a@b', 'x@y.zz']),
    (r'\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}', 0, ['ip 192.168.0.1 ok', '1.2.3', '1234.1.1.1']),
    (r'sk-[A-Za-z0-9]{20,}', 0, ['key sk-abcdefghijklmnopqrstuvwxyz', 'sk-short']),
    (r'(?s)<system>.*?</system>', 0, ['a<system>x\ny</system>b</system>', '<system>']),
    (r'^\s*$', M, ['abc\n   \ndef', 'abc']),
    (r'(?:\r?\n){2,}', 0, ['a\r\n\r\nb', 'a\nb', 'a\n\n\nb']),
    (r'[\u4e00-\u9fff]+', 0, ['hello 世界 ok', 'none']),
    (r'(\w+)\s+x', 0, ['ab  x', 'abx']),
    (r'(?i)b[a4@]d\s*w[o0]rd', 0, ['BAD WORD', 'b@dw0rd', 'bod word']),
    (r'.*(?:a|b)', 0, ['xxaxxbxx', 'xx']),
    (r'(?m)^(?:ab|cd)$', 0, ['xx\ncd\nab', 'abcd']),
    # ---------------------------------------------------------------- IGNORECASE edge probes
    # ranges reaching past the BMP become RANGE_UNI_IGNORE (lower(ch) or upper(lower(ch)) in range)
    ('[\uffff-' + DES_a + ']', I, [DES_A, DES_a]),
    ('[\uffff-\U00010401]', I, [DES_a]),
    ('[^\uffff-' + DES_a + ']', I, [DES_A]),
    ('[\u0178-\U00010000]', I, ['\u00ff']),
    ('[\u00ff-\U00010000]', I, ['\u0178', 'y']),
    ('[' + DES_a + '-\U0001044f]', I, [DES_A]),
    ('[^' + DES_a + '-\U0001044f]', I, [DES_A]),
    ('[' + DES_A + '-\U00010427]', I, [DES_a]),
    ('[' + DES_a + 'x]', I, [DES_A]),
    ('[^' + DES_a + 'x]', I, [DES_A]),
    ('[a-z' + DES_A + ']', I, [DES_a]),
    ('\U0001e900', I, ['\U0001e922']),
    ('[\U0001e900-\U0001e901]', I, ['\U0001e922']),
    ('[\u1e9e]', I, [SHARP_S]),
    ('[^' + SHARP_S + ']', I, [CAP_SHARP_S]),
    ('[' + DOT_I + ']', I, ['I']),
    ('[' + DOTLESS_i + ']', I, ['I']),
    ('[k-k]', I, [KELVIN]),
    ('[J-L]', I, [KELVIN]),
    ('[' + KELVIN + ']', I, ['k']),
    ('\\u212a', I, ['K']),
    ('[ς]', I, ['Σ']),
    ('[\u1f80]', I, ['\u1f88']),
    ('\u1f80', I, ['\u1f88']),
    ('[\u0345x]', I, ['\u1fbe']),
    # ---------------------------------------------------------------- misc probes
    ('a{100}', 0, ['a' * 100, 'a' * 99]),
    ('(?:ab){50,60}', 0, ['ab' * 70]),
    ('a{0,200}b', 0, ['a' * 250 + 'b']),
    ('x{3}?', 0, ['xxxx']),
    ('(?:a|b){3,}?c', 0, ['abababc']),
    ('(?x)a#c\\\nb', 0, ['ab']),
    ('(?x)a#c\\\nb\nc', 0, ['ac']),
    ('(?x)[#]\\ #x', 0, ['# ']),
    ('\\b', 0, [BOLD_A]),
    ('\\b' + BOLD_A + '\\b', 0, ['x' + BOLD_A]),
    (BOLD_A + '\\B', 0, [BOLD_A + '\U0001D401']),
    ('$', M, ['a\r\nb']),
    ('\\Z', 0, ['a\n']),
    ('$', 0, ['a\n']),
    ('(?s).\\Z', 0, ['\n']),
    ('[\\s\\S]', 0, ['\n']),
    ('[^\\s\\S]', 0, ['\n', 'a']),
    ('[\\W\\w]+', 0, ['a b']),
    ('[^\\D]', 0, [AR3]),
    ('\\x00', 0, ['\0']),
    ('[\\x00-\\x1f]+', 0, ['\x01\x1f']),
    ('\\u0000', 0, ['\0']),
    # ---------------------------------------------------------------- from the differential fuzzer
    # A loop iteration that matched '' ends the loop and goes on to the tail
    # (sre's MAX_UNTIL zero-width check), ahead of the body's later alternatives.
    ('(|a)*', 0, ['a', 'aa', 'b']),
    ('(?:|a)*', 0, ['a']),
    ('(a|)*', 0, ['aa', 'ab']),
    ('(|a)+', 0, ['a']),
    ('(?:|a|b)*', 0, ['ab']),
    ('(?:a*?)*', 0, ['aa']),
    ('(?:a*?)+', 0, ['aa']),
    ('(?:a{0,1}?)*', 0, ['a']),
    ('(a{,}?)*', 0, ['a']),
    ('(?:^|a)*', 0, ['aa']),
    ('(?:$|a)*', 0, ['a']),
    (r'(?:\b|a)*', 0, ['a']),
    ('x(?:|a)*', 0, ['xa']),
    ('(?:|a)*x', 0, ['ax']),
    ('(?:|a)*$', 0, ['aa']),
    ('(|a){2}', 0, ['aa']),
    ('(|a){1,3}', 0, ['aa']),
    ('(|a)*?b', 0, ['ab']),
    ('(?:(?:)|a)*', 0, ['a']),
    ('l(?:x||.)+', 0, ['lx!', 'l!x']),
    ('\u00b5([b]?? {,})+', 0, ['\u00b5 b']),
    ('(?:a??b??)*c', 0, ['abc']),
    (r'(\d??)*', 0, ['1', '\uff13']),
    # Python turns a one-literal class into a literal ([c] == c, [^c] == NOT_LITERAL c)
    # and an alternation of single literals/classes into a class (x|y == [xy]).
    # Visible with IGNORECASE on non-BMP cased letters: sre's charset never
    # matches an upper-case non-BMP member ([𐐀x] matches neither 𐐀 nor 𐐨).
    ('[' + DES_A + ']', I, [DES_A, DES_a, '5' + DES_A]),
    ('[^' + DES_A + ']', I, [DES_a, DES_A, 'x']),
    ('[' + DES_A + 'x]', I, [DES_A, DES_a, 'X']),
    ('[' + DES_a + 'x]', I, [DES_A]),
    ('[^' + DES_A + 'x]', I, [DES_a, 'X']),
    ('x|' + DES_A, I, [DES_A, DES_a, 'X']),
    ('(?:' + DES_A + '|\U00010401)b', I, [DES_A + 'b', DES_a + 'b']),
    ('(?:x|[' + DES_A + '])', I, [DES_A]),
    ('a(?:x|' + DES_A + ')', I, ['a' + DES_A]),
    ('(?:' + DES_A + '|ab)', I, [DES_A, DES_a]),
    ('[' + DES_A + '-\U00010401]', I, [DES_A, DES_a]),
    # The merged set is folded under the flags in force for its branches:
    # global flags from the first branch ((?i)B|B matches b), and a group is
    # never merged (it keeps its own flags: (?i:B)|C matches b, not c).
    ('(?i)B|B', 0, ['b', 'B', 'c']),
    ('(?i)B|C', 0, ['b', 'c', 'x']),
    ('(?i)[B]|B', 0, ['b']),
    ('(?i)b|B', 0, ['B', 'b']),
    ('(?i)S|' + LONG_S, 0, ['s', 'S', LONG_S]),
    ('(?i)k|' + KELVIN, 0, ['K', KELVIN, 'k']),
    ('(?i)(b)|(' + DOT_I + ')', 0, ['I', 'i', 'B']),
    ('(?i:B)|C', 0, ['b', 'c', 'C']),
    ('C|(?i:B)', 0, ['b', 'c']),
    ('(?i:[B])|C', 0, ['b', 'c']),
    ('(?-i:B)|C', I, ['b', 'c', 'B']),
    ('(?i)(?-i:B)|C', 0, ['b', 'c', 'B']),
    ('(?:B)|C', 0, ['b', 'B']),
    ('(?i:' + LONG_S + ')|' + LONG_S, 0, ['S', 's']),
]

# Valid in Python 3.11, refused by raxe as 'unsupported'.
# (pattern, flags, position-in-code-points)
REFUSED = [
    (r'(a)\1', 0, 3),
    (r'(a)(b)\2', 0, 6),
    (r'(?P<x>a)(?P=x)', 0, 8),
    (r'(?=a)', 0, 0),
    (r'foo(?=bar)', 0, 3),
    (r'(?!a)', 0, 0),
    (r'(?!x)y', 0, 0),
    (r'(?<=a)', 0, 0),
    (r'a(?<=a)', 0, 1),
    (r'(?<!a)', 0, 0),
    (r'\w+(?<!x)', 0, 3),
    (r'(?>a)', 0, 0),
    (r'x(?>ab|a)b', 0, 1),
    (r'a*+', 0, 2),
    (r'a++', 0, 2),
    (r'a?+', 0, 2),
    (r'a{2}+', 0, 4),
    (r'a{1,3}+', 0, 6),
    (r'(?:ab)*+', 0, 7),
    (r'[ab]++', 0, 5),
    (r'(a)?(?(1)b|c)', 0, 4),
    (r'(?P<n>a)?(?(n)b)', 0, 9),
    ('\u00e9(?=a)', 0, 1),
    ('\U0001F600(?=a)', 0, 1),
    ('\U0001F600\U0001F600a++', 0, 4),
    (r'(?i)a(?=b)', 0, 5),
    (r'(a(?=b))', 0, 2),
    (r'a|(?!b)', 0, 2),
    ('(?x) a  (?=b)', 0, 8),
]

# Rejected by Python itself -> raxe must refuse with 'syntax'.
SYNTAX = [
    '(a', 'a)', '(', ')', '[a', '[', '[]', '[^]', '*a', '+', '?', 'a**', 'a*?*', 'a{2}{3}', 'a+*',
    '{1}', 'x|*', '(*)', '^*', '$+', r'\b*', r'\A?', 'a{2,1}', '[z-a]', r'[\w-z]', r'[a-\d]',
    '\\', 'a\\', r'\q', r'\xZZ', r'\x4', r'\u12', r'\uZZZZ', '(?P<1>a)', '(?P<a>x)(?P<a>y)', '(?P<>a)',
    '(?P', '(?z)', '(?i', 'a(?i)b', '(?i:a', '(?-i)a', '(?', '(?<', '(?P=x)', r'(?<=a*)b',
    '[b-a]', 'a{,2}{3}', '(?x)a(?i)', '(?i-i:a)', '(?-:a)', '(?:',
    r'\8', r'(a)\2', '(?i)(?s', 'a|(', '(?#', r'[\q]', '(?P<a-b>x)',
    ('a + ?', X), ('a*  *', X), ('(?x)a{2} {3}', 0),
    'a*+?', 'a++*', 'a{2}+?', '(?(', '(?a',
]


def u16(text, cp):
    return cp + sum(1 for ch in text[:cp] if ord(ch) > 0xFFFF)


def python_verdict(pattern, flags):
    try:
        re.compile(pattern, flags)
        return {'ok': True}
    except re.error as e:
        return {'ok': False, 'error': e.msg, 'pos': e.pos}


def main():
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                            'test', 'engine', 'conformance', 'cases.json')
    out_path = os.path.normpath(out_path)
    cases = []
    seen = set()
    for pattern, flags, inputs in GROUPS:
        try:
            rx = re.compile(pattern, flags)  # every case pattern must be valid Python
        except re.error as e:
            sys.exit('case pattern %r (flags %d) does not compile: %s' % (pattern, flags, e))
        for text in inputs:
            key = (pattern, flags, text)
            if key in seen:
                continue
            seen.add(key)
            m = rx.search(text)
            span = None if m is None else [u16(text, m.start()), u16(text, m.end())]
            cases.append({'pattern': pattern, 'flags': flags, 'input': text, 'span': span})

    refused = []
    for pattern, flags, pos in REFUSED:
        if pattern[pos] not in '(\\+':
            sys.exit('REFUSED %r: position %d is %r, not ( \\ or +' % (pattern, pos, pattern[pos]))
        refused.append({'pattern': pattern, 'flags': flags, 'code': 'unsupported',
                        'position': pos, 'python': python_verdict(pattern, flags)})

    syntax = []
    for entry in SYNTAX:
        pattern, flags = entry if isinstance(entry, tuple) else (entry, 0)
        v = python_verdict(pattern, flags)
        if v['ok']:
            sys.exit('SYNTAX entry compiles in Python: %r' % pattern)
        syntax.append({'pattern': pattern, 'flags': flags, 'code': 'syntax',
                       'position': v['pos'], 'python': v})

    doc = {
        'python': sys.version.split()[0],
        'generator': 'scripts/gen-conformance.py — do not edit by hand',
        'cases': cases,
        'refused': refused,
        'syntax': syntax,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, 'w', encoding='utf-8') as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=None, separators=(',', ':'))
        fh.write('\n')
    n_pat = len({(c['pattern'], c['flags']) for c in cases})
    n_match = sum(1 for c in cases if c['span'] is not None)
    print('wrote %s: %d cases (%d patterns, %d matching), %d refused, %d syntax' % (
        out_path, len(cases), n_pat, n_match, len(refused), len(syntax)), file=sys.stderr)
    bad = [r for r in refused if not r['python']['ok']]
    if bad:
        print('note: Python also rejects: %s' % ', '.join(r['pattern'] for r in bad), file=sys.stderr)


if __name__ == '__main__':
    main()
