/**
 * What a package carries so that someone without SlipVault can check it: VERIFY.txt (the steps) and
 * verify-chain.py (recomputes the audit chain with Python 3's standard library only). docs/proof-package.md
 * prints the same script; a test keeps the two identical and runs it.
 */
export const CHAIN_SCRIPT = String.raw`#!/usr/bin/env python3
# Recomputes a SlipVault proof package's audit chain. Run it inside the unzipped package folder.
import hashlib, json, sys
from decimal import Decimal

def number(x):  # a float written the way JavaScript writes it (Number.prototype.toString)
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    sign, digits, exponent = Decimal(repr(x)).as_tuple()
    n = len(digits) + exponent  # the value is 0.DIGITS times 10**n
    d = ''.join(map(str, digits)).rstrip('0')
    if 0 < n <= 21:
        s = d[:n] + '.' + d[n:]
    elif -6 < n <= 0:
        s = '0.' + '0' * -n + d
    else:
        s = d[0] + ('.' + d[1:] if len(d) > 1 else '') + 'e' + ('+' if n > 0 else '-') + str(abs(n - 1))
    return ('-' if sign else '') + s

def canon(v):  # keys sorted by UTF-16 code units at every level, no whitespace
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode('utf-16-be'))
        return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' + canon(v[k]) for k in keys) + '}'
    if isinstance(v, list):
        return '[' + ','.join(canon(item) for item in v) + ']'
    return number(v) if isinstance(v, float) else json.dumps(v, ensure_ascii=False)

events = [json.loads(line) for line in open('audit/events.jsonl', encoding='utf-8') if line.strip()]
prev = events[0]['prevHash']
for before, e in zip([None] + events, events):
    fields = {k: e[k] for k in ('seq', 'at', 'actor', 'action', 'targetType', 'targetId', 'details')}
    if e['prevHash'] != prev or (before and e['seq'] != before['seq'] + 1):
        sys.exit(f"event {e['seq']} does not follow the event before it")
    if hashlib.sha256((prev + canon(fields)).encode('utf-8')).hexdigest() != e['hash']:
        sys.exit(f"event {e['seq']} ({e['action']}) was altered: its hash does not match its content")
    prev = e['hash']
last, head = events[-1], json.load(open('manifest.json', encoding='utf-8'))['auditTrail']['head']
if [last['seq'], last['hash'], last['action']] != [head['seq'], head['hash'], 'proof.export']:
    sys.exit('the chain does not end at the export event recorded as the head in manifest.json')
for path, digest in last['details']['members'].items():
    if hashlib.sha256(open(path, 'rb').read()).hexdigest() != digest:
        sys.exit(f'{path} is not the file the export event recorded')
print(f"audit chain OK: events {events[0]['seq']}-{last['seq']}, head {last['hash']}")
`;

export const INSTRUCTIONS = `SlipVault proof package
=======================

This ZIP file holds signed paper slips exported from a SlipVault archive, with their
full history and the audit trail that records it. It can be checked without SlipVault:

1. Unzip it into an empty folder and go there:      unzip PACKAGE.zip -d proof && cd proof
2. Check every file's SHA-256:                      sha256sum -c SHA256SUMS
   (macOS: shasum -a 256 -c SHA256SUMS)
3. Recompute the audit chain (Python 3):            python3 verify-chain.py
   It checks that every audit event links to the one before it and hashes to its
   recorded hash, that the chain ends at the head named in manifest.json - the
   export's own event - and that the originals and version histories are exactly
   the ones that event recorded.
4. Compare the head hash printed by step 3 with the one on certificate.pdf, and, if
   you can, ask the archive's keeper to confirm that event in their audit trail:
   action proof.export with this package's id (manifest.json, packageId). Every
   \`slipvault check\` of the archive re-verifies the trail it is part of.

With SlipVault installed, \`slipvault proof verify PACKAGE.zip\` does all of this.

Contents: manifest.json (what is inside), SHA256SUMS, certificate.pdf (printable),
audit/events.jsonl (one audit event per line), documents/<archive no>/versions.json
(every version: who, when, what, why, full metadata and page list),
documents/<archive no>/files.json (the originals as imported), files/<sha256>.<ext>
(the original files, named by their SHA-256).
`;
