#!/usr/bin/env python3
"""Build-cost figures of issue 12, each next to its limit measured in the same run.

  bench/build_budget.py [--json] [--runs N] [--full]

Always: the parse time (g++ -fsyntax-only, the project's flags: -std=c++17
-O2) of a file that includes only <string>, beside files that include only
aws/sigv4.hpp, only the page views (aws/ce/cost_page.hpp) and the umbrella
header, on both routes (header-only, and compiled where the headers hold
declarations only); the minimum of N runs each.
With --full: a clean configure + build of the whole project in a temporary
build directory, and the wall time of `meson test` there (what
`./tools/dev.sh test` spends once packages are installed).
"""
import json, os, shutil, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cxx = os.environ.get('CXX', 'g++')
args = sys.argv[1:]
as_json = '--json' in args
full = '--full' in args
runs = int(args[args.index('--runs') + 1]) if '--runs' in args else 5

subjects = [
    ('string', '#include <string>\n'),
    ('sigv4', '#include "finops_crawler/aws/sigv4.hpp"\n'),
    ('page_views', '#include "finops_crawler/aws/ce/cost_page.hpp"\n'),
    ('umbrella', '#include "finops_crawler/finops_crawler.hpp"\n'),
]


def parse_seconds(source, header_only):
    with tempfile.NamedTemporaryFile('w', suffix='.cpp', delete=False) as f:
        f.write(source)
        path = f.name
    cmd = [cxx, '-std=c++17', '-O2', '-fsyntax-only', '-I' + os.path.join(root, 'include'),
           '-DFINOPS_CRAWLER_HEADER_ONLY=%d' % header_only, path]
    best = None
    try:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, check=True)
            dt = time.perf_counter() - t
            best = dt if best is None else min(best, dt)
    finally:
        os.unlink(path)
    return best


figures = {'compiler': subprocess.run([cxx, '--version'], capture_output=True, text=True).stdout.split('\n')[0],
           'runs': runs, 'cores': os.cpu_count()}
for name, src in subjects:
    for route, ho in (('header_only', 1), ('compiled', 0)):
        if name == 'string' and route == 'compiled':
            continue
        key = 'parse_%s_s' % name if name == 'string' else 'parse_%s_%s_s' % (name, route)
        figures[key] = round(parse_seconds(src, ho), 3)
base = figures['parse_string_s']
for name, _ in subjects[1:]:
    for route in ('header_only', 'compiled'):
        figures['ratio_%s_%s_to_string' % (name, route)] = round(figures['parse_%s_%s_s' % (name, route)] / base, 2)

if full:
    build = tempfile.mkdtemp(prefix='finops-build-budget-')
    try:
        t = time.perf_counter()
        subprocess.run(['meson', 'setup', build, root], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(['meson', 'compile', '-C', build], check=True, stdout=subprocess.DEVNULL)
        figures['clean_build_s'] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        subprocess.run(['meson', 'test', '-C', build, '--print-errorlogs'], check=True, stdout=subprocess.DEVNULL)
        figures['meson_test_s'] = round(time.perf_counter() - t, 1)
    finally:
        shutil.rmtree(build, ignore_errors=True)

if as_json:
    print(json.dumps(figures))
else:
    print('compiler: %s; %d cores; minimum of %d runs' % (figures['compiler'], figures['cores'], runs))
    print('parse time of a file including only <string> (the limit): %.3f s' % base)
    print('%-12s %12s %8s %12s %8s' % ('header', 'header-only', 'ratio', 'compiled', 'ratio'))
    for name, _ in subjects[1:]:
        print('%-12s %10.3f s %7.2fx %10.3f s %7.2fx' % (
            name, figures['parse_%s_header_only_s' % name], figures['ratio_%s_header_only_to_string' % name],
            figures['parse_%s_compiled_s' % name], figures['ratio_%s_compiled_to_string' % name]))
    if full:
        print('clean build of the whole project: %.1f s; meson test: %.1f s' % (
            figures['clean_build_s'], figures['meson_test_s']))
