#!/bin/sh
# vatid-oracle.sh - cross-check gen/tax/vatid.c against python-stdnum.
#
# usage: tests/unit/vatid-oracle.sh DRIVER [COUNT [SEED]]
#
# DRIVER is a built test-vatid; it is run as "DRIVER --check-stdin" and
# answers 1 or 0 for each number on its input.  The script builds nothing.
# It generates COUNT (default 20000) candidate numbers over the 28 prefixes
# with a fixed SEED (default 20240601): about half are made valid for
# stdnum by choosing their check characters (some of those then get one
# character changed, swapped, dropped or added), the rest are random in
# the national shape.  Each number goes to stdnum.eu.vat.is_valid (which
# knows XI in 1.18; stdnum.gb.vat on the number without XI otherwise) and
# to the driver.  Disagreements that are deliberate (listed in gen/tax/vatid.c)
# are counted apart; any other one makes the script fail.
#
# Without python3-stdnum it prints "SKIP: python3-stdnum not installed"
# and exits 0.  Set PYTHON to choose the interpreter.

set -u

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
	echo "usage: $0 DRIVER [COUNT [SEED]]" >&2
	exit 2
fi
driver=$1
count=${2:-20000}
seed=${3:-20240601}
if [ ! -x "$driver" ]; then
	echo "$0: $driver is not an executable" >&2
	exit 2
fi

# The Debian package installs into the system python; a python3 earlier
# in PATH (pyenv, venv) may not see it.
py=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c 'import stdnum.eu.vat' >/dev/null 2>&1; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "SKIP: python3-stdnum not installed"
	exit 0
fi

exec "$py" - "$driver" "$count" "$seed" <<'EOF'
import random
import string
import subprocess
import sys

import stdnum
from stdnum.eu import vat as euvat
from stdnum.gb import vat as gbvat
from stdnum import luhn

driver, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
DIG = string.digits
LET = string.ascii_uppercase
ALNUM = DIG + LET


def stdnum_valid(number):
    """The oracle's answer for one number as the driver sees it."""
    if number[:2].upper() == 'XI' and 'xi' not in euvat.MEMBER_STATES:
        return gbvat.is_valid(number[2:])
    return euvat.is_valid(number)


def d(n):
    return ''.join(rng.choice(DIG) for _ in range(n))


def date6(order='ymd', mplus=()):
    """Six digits holding a plausible date, sometimes an impossible one."""
    y = rng.randrange(100)
    m = rng.randrange(1, 13) + (rng.choice(mplus) if mplus else 0)
    dd = rng.randrange(1, 32)
    if rng.random() < 0.1:
        m = rng.randrange(100)
    if order == 'ymd':
        return '%02d%02d%02d' % (y, m, dd)
    return '%02d%02d%02d' % (dd, m, y)


# Per prefix: templates (body generator, positions that hold the check
# characters, alphabet of those positions).
T = {
    'AT': [(lambda: 'U' + d(8), [8], DIG)],
    'BE': [(lambda: rng.choice('01') + d(9), [8, 9], DIG),
           (lambda: d(9), [7, 8], DIG)],
    'BG': [(lambda: d(9), [8], DIG),
           (lambda: date6('ymd', (0, 20, 40)) + d(4), [9], DIG),
           (lambda: d(10), [9], DIG)],
    'CY': [(lambda: rng.choice('0159') + d(7) + 'A', [8], LET)],
    'CZ': [(lambda: d(8), [7], DIG),
           (lambda: '6' + d(8), [8], DIG),
           (lambda: date6('ymd', (0, 20, 50, 70)) + d(4), [9], DIG),
           (lambda: '%02d' % rng.randrange(54) + date6()[2:] + d(3),
            [8], DIG)],
    'DE': [(lambda: d(9), [8], DIG)],
    'DK': [(lambda: d(8), [7], DIG)],
    'EE': [(lambda: d(9), [8], DIG)],
    'EL': [(lambda: d(9), [8], DIG), (lambda: d(8), [7], DIG)],
    'ES': [(lambda: d(8) + 'A', [8], LET),
           (lambda: rng.choice('XYZ') + d(7) + 'A', [8], LET),
           (lambda: rng.choice('KLM') + d(7) + 'A', [8], LET),
           (lambda: rng.choice('ABCDEFGHJNPQRSUVW') + d(8), [8], ALNUM),
           (lambda: rng.choice(LET) + d(8), [8], ALNUM)],
    'FI': [(lambda: d(9)[:8], [7], DIG)],
    'FR': [(lambda: d(2) + luhn_fix(d(8)), [0, 1], DIG),
           (lambda: d(2) + '000' + d(6), [0, 1], DIG),
           (lambda: rng.choice(ALNUM) + rng.choice(ALNUM) + luhn_fix(d(8)),
            [1], ALNUM),
           (lambda: d(11), [10], DIG)],
    'HR': [(lambda: d(11), [10], DIG)],
    'HU': [(lambda: d(8), [7], DIG)],
    'IE': [(lambda: d(7) + 'A', [7], LET),
           (lambda: d(7) + 'A' + rng.choice('AHW' + LET), [7], LET),
           (lambda: d(1) + rng.choice(LET) + d(5) + 'A', [7], LET),
           (lambda: d(1) + rng.choice(LET) + d(5) + 'AA', [7], LET)],
    'IT': [(lambda: d(7) + rng.choice(['001', '050', '100', '120', '121',
                                       '888', '999', d(3)]) + d(1),
            [10], DIG)],
    'LT': [(lambda: d(7) + '1' + d(1), [8], DIG),
           (lambda: d(10) + '1' + d(1), [11], DIG),
           (lambda: d(rng.choice([9, 12])), [-1], DIG)],
    'LU': [(lambda: d(8), [6, 7], DIG)],
    'LV': [(lambda: rng.choice('456789') + d(10), [10], DIG),
           (lambda: date6('dmy') + rng.choice('0123') + d(4), [10], DIG)],
    'MT': [(lambda: d(8), [6, 7], DIG)],
    'NL': [(lambda: d(9) + 'B' + rng.choice(['01', '02', d(2)]), [8], DIG),
           (lambda: d(9) + 'B' + d(2), [10, 11], DIG),
           (lambda: d(rng.randrange(5, 9)) + 'B01', [-4], DIG)],
    'PL': [(lambda: d(10), [9], DIG)],
    'PT': [(lambda: d(9), [8], DIG)],
    'RO': [(lambda: d(rng.randrange(2, 11)), [-1], DIG),
           (lambda: rng.choice('0123456789') + date6() + d(6), [12], DIG)],
    'SE': [(lambda: d(10) + '01', [9], DIG), (lambda: d(12), [9], DIG)],
    'SI': [(lambda: d(8), [7], DIG)],
    'SK': [(lambda: d(2) + rng.choice('234789') + d(7), [9], DIG),
           (lambda: date6('ymd', (0, 50)) + d(4), [9], DIG),
           (lambda: d(10), [9], DIG)],
    'XI': [(lambda: d(9), [7, 8], DIG),
           (lambda: d(12), [7, 8], DIG),
           (lambda: rng.choice(['GD', 'HA']) + d(3), [2], DIG),
           (lambda: rng.choice(['GD8888', 'HA8888']) + d(5), [9, 10], DIG)],
}


def luhn_fix(eight):
    """A SIREN: eight digits and their Luhn check digit (stdnum's)."""
    return eight + luhn.calc_check_digit(eight)


def make_valid(prefix, body, pos, alpha):
    """Choose the check characters so that stdnum accepts the number;
    None when no choice works."""
    pos = [p % len(body) for p in pos]
    choices = []
    if len(pos) == 1:
        combos = [(c,) for c in alpha]
    else:
        combos = [(a, b) for a in alpha for b in alpha]
    rng.shuffle(combos)
    for combo in combos[:400]:
        b = list(body)
        for p, c in zip(pos, combo):
            b[p] = c
        cand = ''.join(b)
        if stdnum_valid(prefix + cand):
            return cand
    return None


def mutate(body):
    """One random typo."""
    b = list(body)
    i = rng.randrange(len(b))
    kind = rng.randrange(4)
    if kind == 0:
        b[i] = rng.choice(DIG if b[i].isdigit() else LET)
    elif kind == 1 and len(b) > 1:
        j = min(i + 1, len(b) - 1)
        b[i], b[j] = b[j], b[i]
    elif kind == 2 and len(b) > 1:
        del b[i]
    else:
        b.insert(i, rng.choice(DIG))
    return ''.join(b)


def present(prefix, body):
    """How a user might type it: lower case, GR for Greece, a space."""
    p = prefix
    if prefix == 'EL' and rng.random() < 0.3:
        p = 'GR'
    s = p + body
    r = rng.random()
    if r < 0.1:
        s = s.lower()
    elif r < 0.2:
        k = rng.randrange(2, len(s) + 1)
        s = s[:k] + ' ' + s[k:]
    return s


def deliberate(number, ours, theirs):
    """Why a disagreement is intended (see gen/tax/vatid.c), or None."""
    n = number.replace(' ', '').upper()
    body = n[2:]
    if (n[:2] == 'IE' and not ours and theirs and len(body) == 9 and
            body[1].isalpha()):
        return 'IE old form with a 9th letter (stdnum accepts it)'
    return None


prefixes = sorted(T)
numbers = []
nvalid_made = 0
while len(numbers) < count:
    prefix = prefixes[len(numbers) % len(prefixes)]
    gen, pos, alpha = rng.choice(T[prefix])
    body = gen()
    r = rng.random()
    if r < 0.55:
        fixed = make_valid(prefix, body, pos, alpha)
        if fixed is not None:
            body = fixed
            nvalid_made += 1
            if r < 0.2:
                body = mutate(body)
    elif r < 0.65:
        body = mutate(body)
    if not body:
        continue
    numbers.append(present(prefix, body))

proc = subprocess.run([driver, '--check-stdin'],
                      input='\n'.join(numbers) + '\n',
                      capture_output=True, text=True)
answers = proc.stdout.split()
if proc.returncode != 0 or len(answers) != len(numbers):
    print('FAIL: driver exited %d and gave %d answers for %d numbers' %
          (proc.returncode, len(answers), len(numbers)))
    sys.stderr.write(proc.stderr)
    sys.exit(1)

agree = 0
accepted = 0
explained = {}
unexplained = []
for number, a in zip(numbers, answers):
    ours = a == '1'
    theirs = stdnum_valid(number)
    accepted += theirs
    if ours == theirs:
        agree += 1
        continue
    why = deliberate(number, ours, theirs)
    if why:
        explained[why] = explained.get(why, 0) + 1
    else:
        unexplained.append((number, ours, theirs))

print('vatid-oracle: python-stdnum %s, seed %d: %d numbers (%d valid for '
      'stdnum), %d agreed, %d disagreed (%d deliberate, %d unexplained)' %
      (stdnum.__version__, seed, len(numbers), accepted, agree,
       len(numbers) - agree, len(numbers) - agree - len(unexplained),
       len(unexplained)))
for why, k in sorted(explained.items()):
    print('  deliberate: %d x %s' % (k, why))
for number, ours, theirs in unexplained[:50]:
    print('  DISAGREE %-20s vatid=%d stdnum=%d' % (number, ours, theirs))
sys.exit(1 if unexplained else 0)
EOF
