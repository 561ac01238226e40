// What tests/e2e/a11y.py measures on a page: the smallest text and line spacing, the
// smallest tap targets, sideways scrolling. Called with page.evaluate(source).
(inlineNote) => {
  const visible = el => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && r.right > 0 && r.left < document.documentElement.scrollWidth;
  };
  const inSkip = el => el.closest('.skip-link, .visually-hidden, [hidden], svg, details:not([open]) > :not(summary)');
  // Text: every visible text node's element.
  let minText = null, minLine = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || inSkip(el) || !visible(el) || el.closest('script,style,noscript')) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    if (minText === null || size < minText[0]) minText = [size, describe(el), node.textContent.trim().slice(0, 20)];
    const lh = s.lineHeight === 'normal' ? 1.2 : parseFloat(s.lineHeight) / size;
    if (minLine === null || lh < minLine[0]) minLine = [Math.round(lh * 100) / 100, describe(el), node.textContent.trim().slice(0, 20)];
  }
  function describe(el) {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.className && typeof el.className === 'string') d += '.' + el.className.trim().split(/\s+/).join('.');
    const p = el.parentElement;
    if (p) { let pd = p.tagName.toLowerCase(); if (p.className && typeof p.className === 'string') pd += '.' + p.className.trim().split(/\s+/).join('.'); d = pd + ' > ' + d; }
    return d;
  }
  // Targets.
  const targets = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(sel)) {
    if (inSkip(el) && !el.matches('summary')) continue;
    if (!visible(el)) continue;
    let box = el;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      box = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    const s = getComputedStyle(el);
    if (el.matches('a') && s.display === 'inline') {
      // A link in a sentence: the inline exception (WCAG 2.5.8).
      const block = el.parentElement.closest('p, li, td, dd, dt, div, figcaption, h1, h2, h3, h4, span');
      const own = el.textContent.trim().length;
      const around = block ? block.textContent.replace(/\s+/g, '').length : own;
      if (around > own + 1) continue;
    }
    const r = box.getBoundingClientRect();
    targets.push([Math.round(Math.min(r.width, r.height) * 10) / 10, Math.round(r.width), Math.round(r.height), describe(el), (el.textContent || el.value || el.name || '').trim().slice(0, 20)]);
  }
  targets.sort((a, b) => a[0] - b[0]);
  const main = document.querySelector('main');
  return {
    mainText: main ? parseFloat(getComputedStyle(main).fontSize) : null,
    minText, minLine,
    smallTargets: targets.slice(0, 5),
    minTarget: targets.length ? targets[0] : null,
    sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  };
}
