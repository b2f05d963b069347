#!/usr/bin/env python3
"""Writes Docs/CLI.md from its template by running the commands it shows.

Usage: fill.py LARDER_BINARY TEMPLATE > Docs/CLI.md

In a ```console block, each `$ COMMAND` line is run with `larder` on the PATH, in order, in a
fresh /tmp/larder-docs (a `cd` is followed), and what it prints is inserted after it, followed
by `$ echo $?` and the status when that is not 0. Lines starting with `#! ` are run without
being shown (edits to files between examples).
"""
import os, shutil, subprocess, sys, tempfile

binary, template = sys.argv[1], sys.argv[2]
work = '/tmp/larder-docs'
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
bin_dir = tempfile.mkdtemp(prefix='larder-docs-bin-')
os.symlink(os.path.abspath(binary), os.path.join(bin_dir, 'larder'))
env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'], COLUMNS='80')
cwd = work

def run(command):
    global cwd
    if command.startswith('cd '):
        cwd = os.path.normpath(os.path.join(cwd, command[3:]))
        return ''
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
    text = done.stdout + done.stderr
    if done.returncode != 0:
        text += f'$ echo $?\n{done.returncode}\n'
    return text

out = []
in_console = False
with open(template) as lines:
    for line in lines:
        if line.startswith('#! '):
            run(line[3:].strip())
        elif line.startswith('```console'):
            in_console = True
            out.append(line)
        elif in_console and line.startswith('```'):
            in_console = False
            out.append(line)
        elif in_console and line.startswith('$ '):
            out.append(line)
            out.append(run(line[2:].rstrip('\n')))
        else:
            out.append(line)
shutil.rmtree(bin_dir)
sys.stdout.write(''.join(out))
