"""FastMCP 4.0.10 serving skills (its SkillsDirectoryProvider: skill://NAME/SKILL.md, a
skill://NAME/_manifest, supporting files through the template skill://NAME/{path*}) for the
eighth peer walk (walk8.ts, our client reading it). The skills are written to a fresh temporary folder:
one with a nested file whose name has a space and non-ASCII letters, and a binary file.
Usage: fastmcp_server_walk8.py stdio | fastmcp_server_walk8.py http PORT."""
import atexit, shutil, signal, sys, tempfile
from pathlib import Path
from fastmcp import FastMCP
from fastmcp.server.providers.skills import SkillsDirectoryProvider

root = Path(tempfile.mkdtemp(prefix='walk8-skills-'))
# The folder goes when the process ends: stdin's end, or SIGTERM (uvicorn's own handler once it
# serves, this one before), both through atexit.
atexit.register(shutil.rmtree, root, True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
pdf = root / 'pdf-forms'
(pdf / 'references').mkdir(parents=True)
(pdf / 'SKILL.md').write_text('---\nname: pdf-forms\ndescription: Fill PDF forms é\n---\n# PDF forms\nUse references.\n', encoding='utf-8')
(pdf / 'references' / 'field guide é.md').write_text('Fields: name, date 𝔘\n', encoding='utf-8')
(pdf / 'logo.bin').write_bytes(bytes(range(256)))
mcp = FastMCP('fastmcp-walk8')
mcp.add_provider(SkillsDirectoryProvider(root))

if __name__ == '__main__':
    if sys.argv[1:2] == ['http']:
        mcp.run('http', port=int(sys.argv[2]), show_banner=False)
    else:
        mcp.run('stdio', show_banner=False)
