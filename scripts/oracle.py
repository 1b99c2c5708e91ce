#!/usr/bin/env python3
"""Python `re` oracle for raxe: JSON lines in, JSON lines out, one per request.

Request  (one per line on stdin):
    {"p": pattern, "f": flags, "t": [text, ...]}
    optional: "u16": true   -> spans in UTF-16 code units instead of code points
              "timeout": s  -> per-search time limit in seconds (default 2.0;
                               0 disables). A search that exceeds it gives the
                               string "timeout" instead of a span.
Response (one per line on stdout, flushed, same order):
    {"ok": true, "spans": [[s, e] | null | "timeout", ...]}    re.search spans
    {"ok": false, "error": msg, "pos": position | null}       re.compile failed
    {"ok": false, "error": "bad request: ...", "pos": null}    unparsable line

Spans are Python code-point offsets unless "u16" is set. Usable as a
long-lived child process: it answers each line as soon as it is read.
"""
import json
import re
import signal
import sys
import warnings

warnings.simplefilter('ignore')  # FutureWarning for "[[", "--" etc. is not an error


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


_HAS_ALARM = hasattr(signal, 'setitimer')
if _HAS_ALARM:
    signal.signal(signal.SIGALRM, _alarm)


def u16_index(text, cp):
    """UTF-16 code unit offset of code point offset `cp` in `text`."""
    return cp + sum(1 for ch in text[:cp] if ord(ch) > 0xFFFF)


def search(rx, text, timeout):
    if timeout and _HAS_ALARM:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return rx.search(text)
        except _Timeout:
            return 'timeout'
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return rx.search(text)


def handle(req):
    pattern = req['p']
    flags = int(req.get('f') or 0)
    texts = req.get('t') or []
    u16 = bool(req.get('u16'))
    timeout = float(req.get('timeout', 2.0))
    try:
        rx = re.compile(pattern, flags)
    except re.error as e:
        return {'ok': False, 'error': e.msg, 'pos': e.pos}
    except (OverflowError, RecursionError, ValueError, TypeError) as e:
        return {'ok': False, 'error': '%s: %s' % (type(e).__name__, e), 'pos': None}
    spans = []
    for t in texts:
        m = search(rx, t, timeout)
        if m is None or m == 'timeout':
            spans.append(m)
        elif u16:
            spans.append([u16_index(t, m.start()), u16_index(t, m.end())])
        else:
            spans.append([m.start(), m.end()])
    return {'ok': True, 'spans': spans}


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            resp = handle(req)
        except Exception as e:  # never die: the caller waits for one line per request
            resp = {'ok': False, 'error': 'bad request: %s: %s' % (type(e).__name__, e), 'pos': None}
        out.write(json.dumps(resp) + '\n')
        out.flush()


if __name__ == '__main__':
    main()
