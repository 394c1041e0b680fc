// report.html's style sheet: one column, fluid from phone (360 px) to desktop, no fixed
// widths, logical properties so that a right-to-left catalogue mirrors the page. Wide tables
// scroll inside their own box instead of widening the page.
#include "report/html_internal.h"

namespace tvault::report_internal::html {

std::string StyleSheet() {
  return R"(*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:#1c1f24;background:#fff;line-height:1.45;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.55rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid #d9dee5}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
h1,h2,h3,p,li,th,td,figcaption{overflow-wrap:anywhere}
.sub{color:#555;margin-top:0}
.lead{font-size:1.1rem}
.notice{background:#fff4d6;border-inline-start:4px solid #c79100;padding:.5rem .75rem}
table.figures{width:100%;border-collapse:collapse}
table.figures th,table.figures td{padding:.4rem .5rem;border-bottom:1px solid #e3e6ea;
text-align:start;vertical-align:baseline;overflow-wrap:normal}
table.figures thead th{width:8rem}
table.figures td{text-align:end;white-space:nowrap}
table.figures td .n{font-size:1.35rem;font-weight:700}
table.figures thead th{font-size:.85rem;color:#555;text-align:end}
.how{background:#f2f5f9;border-inline-start:4px solid #4a6fa5;padding:.25rem 1rem;margin:1.5rem 0}
.how h2{border:0;margin:.5rem 0;font-size:1.15rem}
.how ul{padding-inline-start:1.2rem;margin:.5rem 0}
.fig{margin:1.25rem 0 2rem}
.fig figcaption{font-weight:700;margin-bottom:.5rem}
.fig figcaption small{font-weight:400;color:#555}
ul.bars{list-style:none;margin:0;padding:0}
ul.bars li{display:grid;grid-template-columns:minmax(0,15rem) minmax(0,1fr) auto;
gap:.25rem .6rem;align-items:center;padding:.2rem 0}
.bar{display:block;height:.9rem;background:#eef1f5}
.bar i{display:block;height:100%;background:#4a6fa5}
i.hatch{display:inline-block;width:2.5rem;height:.9rem;vertical-align:middle;
border:1px solid #8a8f98;
background:repeating-linear-gradient(45deg,#8a8f98 0 2px,transparent 2px 6px)}
.bar i.hatch{display:block}
li.sup .bar{background:none}
.val{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}
.s{color:#a3322a;font-style:italic}
.legend,.zeros,.tot{font-size:.9rem;color:#444;margin:.4rem 0}
.tot{font-weight:700;color:#1c1f24}
details{margin:.5rem 0}
summary{cursor:pointer;color:#2a4d7f}
.scroll{overflow-x:auto;max-width:100%}
table.pivot{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
.pivot th,.pivot td{border:1px solid #cfd4da;padding:.2rem .4rem;vertical-align:top}
.pivot thead th{background:#f2f5f9;font-weight:600}
.pivot tbody th{text-align:start;font-weight:400}
.pivot td{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}
.pivot td.x{color:#aaa;text-align:center}
.pivot tr.total th,.pivot tr.total td{font-weight:700}
.files ul{padding-inline-start:1.2rem}
.files a{overflow-wrap:anywhere}
footer{margin-top:2.5rem;font-size:.85rem;color:#555}
@media (max-width:40rem){
main{padding:.75rem}
ul.bars li{grid-template-columns:minmax(0,1fr) auto;padding:.3rem 0}
ul.bars .lab{grid-column:1/-1}
h1{font-size:1.35rem}
table.figures th,table.figures td{padding:.4rem .25rem}
table.figures thead th{width:6.5rem}
table.figures td .n{font-size:1.15rem}
}
)";
}

}  // namespace tvault::report_internal::html
