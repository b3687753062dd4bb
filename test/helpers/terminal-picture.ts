// A picture of a terminal for the docs: ANSI text (colours kept, cursor moves already applied) turned into
// HTML by ansi-to-html and screenshotted by the test browser (playwright-core + Debian's chromium).
import Convert from 'ansi-to-html';
import { launchBrowser } from './browser';

const FG = '#d8dee9';
const BG = '#1f2430';

function page(html: string, title: string): string {
  return `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: #fff; }
  .window { display: inline-block; margin: 16px; border-radius: 8px; overflow: hidden;
    box-shadow: 0 4px 14px rgba(0,0,0,.25); background: ${BG}; }
  .title { background: #3b4252; color: #c0c5ce; font: 13px sans-serif; padding: 6px 12px; }
  pre { margin: 0; padding: 12px 16px; color: ${FG};
    font: 14px/1.35 'DejaVu Sans Mono', 'Liberation Mono', monospace; }
</style><div class="window"><div class="title">${title}</div><pre>${html}</pre></div>`;
}

/** Renders `lines` (with SGR colour codes) into a PNG at `out`. */
export async function renderTerminal(lines: string[], out: string, title = 'Terminal'): Promise<void> {
  const convert = new Convert({ fg: FG, bg: BG, escapeXML: true });
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage({ deviceScaleFactor: 1 });
    await tab.setContent(page(convert.toHtml(lines.join('\n')), title));
    await tab.locator('.window').screenshot({ path: out });
  } finally {
    await browser.close();
  }
}
