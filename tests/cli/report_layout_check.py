#!/usr/bin/env python3
"""Renders a report folder's report.html in headless Chromium at each given width (CSS pixels)
and fails if anything overflows the viewport: the page may not scroll sideways, and no element
may reach past either edge, except inside a box that scrolls on its own (a wide table's
.scroll wrapper, which must itself fit). Also checks the page has a viewport meta tag, no
script and no external resource.

Headless Chromium will not make a window narrower than 500 px, so the page is loaded in an
iframe of exactly the width asked for (its own viewport: media queries see that width), and
the wrapper reads the iframe's layout (--allow-file-access-from-files) when it has loaded.

usage: report_layout_check.py REPORT_DIR WIDTH [WIDTH...]
Prints one line per width; exits 1 if any width fails, 2 if Chromium cannot be run.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

WRAPPER = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body{margin:0}iframe{border:0;display:block}</style></head><body>
<iframe id="f" src="report.html" style="width:%dpx;height:900px"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, w = this.contentWindow;
  var width = d.documentElement.clientWidth, bad = [];
  d.querySelectorAll('body *').forEach(function (e) {
    var s = e.parentElement && e.parentElement.closest('.scroll');
    if (s) return;  // inside a box that scrolls on its own
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (e.closest('details:not([open])') && e.tagName !== 'DETAILS' &&
        e.tagName !== 'SUMMARY') return;  // not laid out until opened
    if (r.right > width + 1 || r.left < -1) {
      var cls = e.getAttribute('class');
      bad.push(e.tagName.toLowerCase() + (cls ? '.' + cls : '') +
               ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']: ' +
               (e.textContent || '').trim().slice(0, 60));
    }
  });
  document.body.setAttribute('data-layout', JSON.stringify({
    innerWidth: w.innerWidth, clientWidth: width,
    scrollWidth: d.documentElement.scrollWidth, bodyScrollWidth: d.body.scrollWidth,
    elements: d.querySelectorAll('body *').length, bad: bad}));
});
</script></body></html>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def static_checks(text):
    problems = []
    if not re.search(r'<meta name="viewport" content="width=device-width, initial-scale=1">',
                     text):
        problems.append("no viewport meta tag")
    if "<script" in text.lower():
        problems.append("a script")
    for m in re.finditer(r'(?:src|href)="([^"#][^"]*)"', text):
        if ":" in m.group(1) or m.group(1).startswith("//"):
            problems.append("an external resource: " + m.group(1))
    return problems


def main():
    folder, widths = sys.argv[1], [int(w) for w in sys.argv[2:]]
    browser = chromium()
    if browser is None:
        print("no chromium: scripts/bootstrap.sh installs Debian's chromium package")
        return 2
    text = open(os.path.join(folder, "report.html"), encoding="utf-8").read()
    failed = False
    for p in static_checks(text):
        print("report.html: " + p)
        failed = True
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(folder, "report.html"), os.path.join(tmp, "report.html"))
        for width in widths:
            wrapper = os.path.join(tmp, "wrap-%d.html" % width)
            with open(wrapper, "w", encoding="utf-8") as f:
                f.write(WRAPPER % width)
            run = subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--hide-scrollbars", "--allow-file-access-from-files",
                 "--user-data-dir=" + os.path.join(tmp, "p"),
                 "--window-size=1400,1000", "--dump-dom", "file://" + wrapper],
                capture_output=True, text=True, timeout=120)
            m = re.search(r'data-layout="([^"]*)"', run.stdout)
            if run.returncode != 0 or m is None:
                print("%d px: chromium gave no layout (exit %d): %s" %
                      (width, run.returncode, run.stderr[-600:]))
                return 2
            layout = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                                .replace("&lt;", "<").replace("&gt;", ">"))
            ok = (layout["innerWidth"] == width and layout["scrollWidth"] <= width and
                  not layout["bad"] and layout["elements"] > 100)
            print("%d px: %s: viewport %d, page width %d, %d elements, %d overflowing%s" % (
                width, "pass" if ok else "FAIL", layout["innerWidth"], layout["scrollWidth"],
                layout["elements"], len(layout["bad"]),
                "".join("\n  " + b for b in layout["bad"][:15])))
            failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
