// rentd's applicant portal ("Mina sidor"): a reference client of the public market API.
// No framework, no build step. Pages live after the '#' (#/object/42), so the server serves
// one path and a reload or the back button shows the same page. The access token is kept in
// sessionStorage only (the API's B.6: memory or sessionStorage, never in a URL).
import { dict } from './i18n.js';

const store = window.sessionStorage;
const TOKEN = 'rentd.portal.token', LANG = 'rentd.portal.lang';
let lang = store.getItem(LANG) || (document.documentElement.lang === 'en' ? 'en' : 'sv');
let token = store.getItem(TOKEN);
let settings = null; // /assets/app-settings.json
let config = null;   // GET /v2/client/configuration?market=true
let firstRoute = true;
const main = document.getElementById('main');

// ---- small helpers ----
function t(key, ...args) {
  let s = dict[lang][key] ?? dict.sv[key] ?? key;
  args.forEach((v, i) => { s = s.replace('{' + i + '}', v); });
  return s;
}
// h('p', {class: 'x'}, 'text', child…): elements without innerHTML, so data is never markup
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  return put(el, ...kids);
}
// Appends the kids that are there (null, undefined and false are nothing, not the text "null").
function put(el, ...kids) {
  for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false)
    el.append(kid instanceof Node ? kid : String(kid));
  return el;
}
const locale = () => (lang === 'sv' ? 'sv-SE' : 'en-GB');
const num = (v) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(Number(v));
const money = (v) => t('perMonth', new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(Number(v)));
// F1 "/Date(ms[+hhmm])/" or F2/ISO text → Date
function parseDate(v) {
  if (!v) return null;
  const m = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v);
  const d = m ? new Date(Number(m[1])) : new Date(v.replace(' ', 'T'));
  return isNaN(d) ? null : d;
}
function when(v, withTime = true) {
  const d = parseDate(v);
  if (!d) return '';
  return new Intl.DateTimeFormat(locale(), withTime ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' }
    : { dateStyle: 'medium', timeZone: 'Europe/Stockholm' }).format(d);
}
function say(text) { // the live region: screen readers hear results and errors
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

// ---- the API ----
const apiBase = () => (settings && settings.apiBaseUrl) || (location.origin + '/');
class ApiError extends Error {
  constructor(status, body) { super((body && body.message) || String(status)); this.status = status; this.body = body; }
}
async function api(method, path, body, raw = false) {
  const headers = { Accept: 'application/json', 'Accept-Language': locale() };
  if (settings && settings.xApiKey) headers['X-Api-Key'] = settings.xApiKey;
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch(apiBase() + path.replace(/^\//, ''), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { message: t('offline') });
  }
  if (r.status === 401 && token) { // the token expired or was ended elsewhere: sign in again, then back here
    forget();
    renderNav();
    say(t('sessionEnded'));
    if (!location.hash.startsWith('#/signin')) {
      location.replace('#/signin?next=' + encodeURIComponent(location.hash.slice(1) || '/'));
      return new Promise(() => {}); // the page that asked is left behind: it must not draw over the sign-in
    }
  }
  if (raw && r.ok) return r.blob();
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}
function remember(tk) { token = tk; store.setItem(TOKEN, tk); }
function forget() { token = null; store.removeItem(TOKEN); }

// ---- the brand (B.5's brand.themes.light) with WCAG contrast kept ----
function luminance(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
function darken(hex, f) {
  return '#' + [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * f).toString(16).padStart(2, '0')).join('');
}
function applyBrand() {
  const theme = config && config.brand && config.brand.themes && config.brand.themes.light;
  const colour = theme && theme.colours && theme.colours.primary && theme.colours.primary.colourCode;
  const root = document.documentElement.style;
  if (colour && /^#[0-9a-fA-F]{6}$/.test(colour)) {
    root.setProperty('--brand', colour);
    // text on the brand: white or black, whichever contrasts more
    const on = contrast(colour, '#ffffff') >= contrast(colour, '#000000') ? '#ffffff' : '#000000';
    root.setProperty('--on-brand', on);
    // the brand as text and borders on the page's light backgrounds: darkened until 5:1 on white
    // (so at least 4.5:1 on the tinted panels too)
    let text = colour;
    for (let f = 0.95; contrast(text, '#ffffff') < 5 && f > 0; f -= 0.05) text = darken(colour, f);
    root.setProperty('--brand-text', text);
  }
  const logo = theme && theme.files && (theme.files.logoDefaultBackground || theme.files.logoPrimaryBackground);
  if (logo && logo.address) document.getElementById('logo').src = logo.address;
  if (config && config.app && config.app.name) document.getElementById('app-name').textContent = config.app.name;
}

// ---- the frame: menu, language, footer ----
function renderNav() {
  const here = location.hash.split('?')[0] || '#/';
  const link = (href, key) => h('li', {}, h('a', { href, 'aria-current': here === href ? 'page' : null }, t(key)));
  const items = [link('#/', 'navSearch')];
  if (token) {
    items.push(link('#/applications', 'navApplications'), link('#/queues', 'navQueues'), link('#/profile', 'navProfile'),
      link('#/agreements', 'navAgreements'),
      h('li', {}, h('button', { type: 'button', id: 'signout', onclick: signOut }, t('navSignOut'))));
  } else {
    items.push(link('#/signin', 'navSignIn'), link('#/signup', 'navSignUp'));
  }
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav'));
  nav.replaceChildren(h('ul', {}, items));
  const sw = document.getElementById('lang');
  sw.hidden = false;
  sw.textContent = t('otherLang');
  sw.setAttribute('lang', t('otherLangCode'));
  sw.setAttribute('aria-label', t('switchLang'));
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('foot').textContent = t('footer');
  document.documentElement.lang = lang;
}
function switchLang() {
  lang = lang === 'sv' ? 'en' : 'sv';
  store.setItem(LANG, lang);
  renderNav();
  route();
  say(t('lang'));
}
async function signOut() {
  try { await api('POST', 'v2/auth/logout', {}); } catch (e) { /* the token is dropped anyway */ }
  forget();
  renderNav();
  location.hash = '#/';
  say(t('signedOut'));
}

// A page: its title (h1 and the document's), then its content. Focus goes to the title after
// a navigation, so screen readers start at the new page.
function page(title, ...content) {
  document.title = title + ' – ' + ((config && config.app && config.app.name) || 'Mina sidor');
  const h1 = h('h1', { tabindex: '-1', id: 'title' }, title);
  main.replaceChildren(h1, ...content);
  if (!firstRoute) h1.focus();
  firstRoute = false;
  return h1;
}
function failure(e) {
  return h('div', { class: 'alert', role: 'alert' }, t('error', e.message || e),
    ' ', h('button', { type: 'button', class: 'btn secondary', onclick: route }, t('retry')));
}
function needSignIn() {
  if (token) return false;
  location.replace('#/signin?next=' + encodeURIComponent(location.hash.slice(1)));
  return true;
}

// ---- forms ----
let fieldSeq = 0;
function field(key, name, attrs = {}, hint = null) {
  const id = 'f-' + name.replace(/\W/g, '-') + '-' + (++fieldSeq);
  const hintId = hint ? id + '-hint' : null;
  const input = attrs.options
    ? h('select', { id, name, required: attrs.required, 'aria-describedby': hintId },
      h('option', { value: '' }, attrs.placeholder || t('choose')),
      attrs.options.map(([v, label]) => h('option', { value: v, selected: String(attrs.value ?? '') === String(v) }, label)))
    : h('input', { id, name, type: attrs.type || 'text', value: attrs.value ?? null, required: attrs.required,
      autocomplete: attrs.autocomplete, inputmode: attrs.inputmode, min: attrs.min, max: attrs.max, step: attrs.step,
      'aria-describedby': hintId });
  if (attrs.type === 'checkbox') {
    input.checked = !!attrs.checked;
    return h('div', {}, h('label', { class: 'check', for: id }, input, t(key)));
  }
  return h('div', {}, h('label', { for: id }, t(key)), input, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}
// The API's 400 names the first bad member in `field`: mark it, say it, and focus it.
function showErrors(form, e) {
  form.querySelectorAll('.field-error').forEach((n) => n.remove());
  form.querySelectorAll('[aria-invalid]').forEach((n) => { n.removeAttribute('aria-invalid'); });
  const name = e.body && e.body.field;
  const input = name && (form.querySelector('[name="' + CSS.escape(name) + '"]') ||
    form.querySelector('[name="' + CSS.escape(name.split('.').pop()) + '"]'));
  let box = form.querySelector('.form-alert');
  if (!box) { box = h('div', { class: 'alert form-alert', role: 'alert' }); form.prepend(box); }
  box.textContent = e.status === 429 ? t('tooMany') : (e.message || t('fixFields'));
  if (input) {
    const errId = input.id + '-err';
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + errId).trim());
    input.parentElement.append(h('p', { class: 'field-error', id: errId }, e.message));
    input.focus();
  } else {
    box.setAttribute('tabindex', '-1');
    box.focus();
  }
}
const value = (form, name) => { const el = form.elements[name]; return el ? el.value.trim() : ''; };
const numberOr = (v) => (v === '' ? undefined : Number(v));
function busy(button, on) { button.disabled = on; button.setAttribute('aria-busy', on ? 'true' : 'false'); }

// ---- search (GET /v2/market/objects) ----
const LIMIT = 20;
const FILTERS = ['type', 'locationAreaDisplayName', 'sizeRoomsMin', 'sizeRoomsMax', 'sizeAreaMin', 'sizeAreaMax',
  'priceMin', 'priceMax', 'availableFrom', 'sort'];
async function searchPage(params) {
  page(t('searchTitle'));
  const form = h('form', { class: 'grid panel', role: 'search', 'aria-label': t('filters') },
    field('type', 'type', { options: [], placeholder: t('anyType'), value: params.get('type') }),
    field('area', 'locationAreaDisplayName', { value: params.get('locationAreaDisplayName'), autocomplete: 'address-level2' }),
    field('roomsMin', 'sizeRoomsMin', { type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: params.get('sizeRoomsMin') }),
    field('roomsMax', 'sizeRoomsMax', { type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: params.get('sizeRoomsMax') }),
    field('areaMin', 'sizeAreaMin', { type: 'number', min: 0, inputmode: 'numeric', value: params.get('sizeAreaMin') }),
    field('areaMax', 'sizeAreaMax', { type: 'number', min: 0, inputmode: 'numeric', value: params.get('sizeAreaMax') }),
    field('priceMin', 'priceMin', { type: 'number', min: 0, inputmode: 'numeric', value: params.get('priceMin') }),
    field('priceMax', 'priceMax', { type: 'number', min: 0, inputmode: 'numeric', value: params.get('priceMax') }),
    field('availableFrom', 'availableFrom', { type: 'date', value: params.get('availableFrom') }),
    field('sort', 'sort', { options: ['priceAsc', 'priceDesc', 'areaAsc', 'areaDesc'].map((s) => [s, t('sort' + s[0].toUpperCase() + s.slice(1))]),
      placeholder: t('sortNewest'), value: params.get('sort') }),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit' }, t('search')),
      h('a', { class: 'btn secondary', href: '#/' }, t('clear'))));
  // the types come with the client configuration, which the results do not wait for
  configured.then(() => {
    const select = form.elements.type;
    for (const x of (config && config.market && config.market.types) || [])
      select.append(h('option', { value: x.id, selected: params.get('type') === x.id }, x.displayName));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) { const v = value(form, f); if (v) q.set(f, v); }
    location.hash = '#/' + (q.toString() ? '?' + q : '');
  });
  const count = h('p', { id: 'count', class: 'muted' }, t('loading'));
  const results = h('div', { id: 'results', 'aria-busy': 'true' });
  main.append(form, count, results);
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const q = new URLSearchParams({ limit: LIMIT, offset });
  for (const f of FILTERS) if (params.get(f)) q.set(f, params.get(f));
  let data;
  try {
    data = await api('GET', 'v2/market/objects?' + q);
  } catch (e) {
    results.replaceChildren(failure(e));
    count.textContent = '';
    return;
  }
  results.removeAttribute('aria-busy');
  const text = data.count === 1 ? t('result1') : t('results', num(data.count));
  count.textContent = text;
  say(text);
  if (!data.items.length) {
    results.replaceChildren(h('p', {}, t('noResults')));
    return;
  }
  results.replaceChildren(resultsMap(data.items) || '', h('ul', { class: 'cards' }, data.items.map(card)));
  if (performance.mark) performance.mark('results'); // when the first page of results is on screen (measured by tests)
  const pages = Math.max(1, Math.ceil(data.count / LIMIT)), current = Math.floor(offset / LIMIT) + 1;
  const at = (o) => { const p = new URLSearchParams(params); if (o) p.set('offset', o); else p.delete('offset'); return '#/?' + p; };
  results.append(h('nav', { class: 'pager', 'aria-label': t('paging') },
    offset > 0 ? h('a', { class: 'btn secondary', href: at(Math.max(0, offset - LIMIT)), rel: 'prev' }, t('prev')) : null,
    h('span', {}, t('page', num(current), num(pages))),
    offset + LIMIT < data.count ? h('a', { class: 'btn secondary', href: at(offset + LIMIT), rel: 'next' }, t('next')) : null));
}
// The page's results on rentd's static map (the map drawn without its own pin), each a
// numbered mark placed by the map's Web-Mercator projection; the numbers are the cards'.
const MAP_W = 640, MAP_H = 300;
function resultsMap(items) {
  const mx = (lon) => (lon + 180) / 360;
  const my = (lat) => { const s = Math.sin(lat * Math.PI / 180); return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI); };
  const pts = items.map((o, i) => ({ o, i, p: o.location && o.location.position })).filter((x) => x.p)
    .map((x) => Object.assign(x, { x: mx(x.p.longitude), y: my(x.p.latitude) }));
  if (!pts.length) return null;
  const [x0, x1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
  const [y0, y1] = [Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
  let z = 14;
  while (z > 3 && ((x1 - x0) * 256 * 2 ** z > MAP_W - 60 || (y1 - y0) * 256 * 2 ** z > MAP_H - 60)) z--;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const lon = cx * 360 - 180, lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * cy))) * 180 / Math.PI;
  const wrap = h('div', { class: 'results-map' }, h('img', { class: 'map', width: MAP_W, height: MAP_H, alt: t('mapResults'),
    src: location.origin + '/api/v2/static_map?company=1&pin=false&zoom=' + z + '&width=' + MAP_W + '&height=' + MAP_H +
      '&latitude=' + lat.toFixed(6) + '&longitude=' + lon.toFixed(6) }));
  for (const p of pts) {
    // the list holds the same links: the marks are for the eye only
    const mark = h('span', { class: 'mark', 'aria-hidden': 'true', title: p.o.displayName }, String(p.i + 1));
    mark.style.left = (((p.x - cx) * 256 * 2 ** z + MAP_W / 2) / MAP_W * 100) + '%';
    mark.style.top = (((p.y - cy) * 256 * 2 ** z + MAP_H / 2) / MAP_H * 100) + '%';
    wrap.append(mark);
  }
  return wrap;
}
function card(o, i) {
  const thumb = o.thumbnail && o.thumbnail.exists
    ? h('img', { src: apiBase() + 'v2/market/objects/' + encodeURIComponent(o.id) + '/thumbnail?width=400&height=300&version=' +
      encodeURIComponent(o.thumbnail.version || ''), alt: o.thumbnail.displayName || '', loading: 'lazy', width: 400, height: 300 })
    : h('div', { class: 'noimg' }, t('noPicture'));
  const areaPath = ((o.location && o.location.areaPath) || []).map((a) => a.displayName).join(', ');
  const from = o.availability && o.availability.availableFrom;
  return h('li', { class: 'card' }, thumb, h('div', { class: 'body' },
    h('h2', {}, h('span', { class: 'num', 'aria-hidden': 'true' }, String(i + 1)), h('a', { href: '#/object/' + encodeURIComponent(o.localId || o.id) }, o.displayName)),
    h('p', { class: 'row' }, areaPath),
    h('p', { class: 'row' }, o.size && o.size.roomsDisplayName, o.size && o.size.area ? h('span', {}, num(o.size.area) + ' m²') : null),
    h('p', { class: 'price' }, o.pricing ? money(o.pricing.price) : ''),
    h('p', { class: 'row' }, t('from') + ': ' + (from ? when(from, false) : t('fromAgreement')))));
}

// ---- one listing (GET /v2/market/objects/{id} and …/status) ----
async function objectPage(id) {
  page(t('loading'));
  let o, status;
  try {
    [o, status] = await Promise.all([api('GET', 'v2/market/objects/' + encodeURIComponent(id)),
      api('GET', 'v2/market/objects/' + encodeURIComponent(id) + '/status')]);
  } catch (e) {
    page(e.status === 404 ? t('notFound') : t('searchTitle'), e.status === 404 ? h('p', {}, h('a', { href: '#/' }, t('toStart'))) : failure(e));
    return;
  }
  const files = o.files || {};
  const pics = (files.locationImage || []).map((f) => h('li', {}, h('img', { src: f.address, alt: f.displayName || o.displayName, loading: 'lazy', width: 400, height: 300 })));
  const plans = (files.floorplan || []).map((f) => h('li', {}, h('a', { href: f.address }, t('floorplan') + (f.displayName ? ' – ' + f.displayName : ''))));
  const loc = o.location || {};
  const facts = [
    [t('address'), loc.address && loc.address.completeAdress],
    [t('rooms'), o.size && o.size.roomsDisplayName],
    [t('size'), o.size && o.size.area ? num(o.size.area) + ' m²' : null],
    [t('floor'), loc.floorDisplayName],
    [t('aptNumber'), loc.officialApartmentNumber],
    [t('rent'), o.pricing && money(o.pricing.price)],
    [t('from'), o.availability && o.availability.availableFrom ? when(o.availability.availableFrom, false) : t('fromAgreement')],
    [t('deadline'), o.application && o.application.openTo ? when(o.application.openTo) : null],
    [t('applications'), o.nrApplications !== undefined ? num(o.nrApplications) : null],
    [t('included'), (o.included || []).map((x) => x.displayName).join(', ') || null],
  ].filter(([, v]) => v);
  const map = loc.position
    ? h('img', { class: 'map', width: 600, height: 300, alt: t('mapAlt', o.displayName), loading: 'lazy',
      src: location.origin + '/api/v2/static_map?company=1&zoom=14&width=600&height=300&latitude=' + loc.position.latitude + '&longitude=' + loc.position.longitude })
    : null;
  page(o.displayName,
    h('p', {}, h('a', { href: '#/' }, t('back'))),
    h('div', { class: 'layout' },
      h('div', {},
        pics.length ? h('section', { 'aria-labelledby': 'pics-h' }, h('h2', { id: 'pics-h', class: 'sr-only' }, t('pictures')), h('ul', { class: 'gallery' }, pics)) : null,
        o.description ? h('p', {}, o.description) : null,
        h('section', { class: 'panel', 'aria-labelledby': 'facts-h' }, h('h2', { id: 'facts-h' }, t('facts')),
          h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
          plans.length ? h('ul', {}, plans) : null),
        map ? h('section', { 'aria-labelledby': 'map-h' }, h('h2', { id: 'map-h' }, t('map')), map) : null),
      h('div', {}, mayApply(o, status), lotteryBox(o, null))));
}
// "May I apply?": the apply command's checklist and the screening, each failure in plain words
// with what would change it.
function mayApply(o, status) {
  const apply = (status.commands || []).find((c) => c.command === 'apply') || { checklist: [] };
  const failed = apply.checklist.filter((c) => !c.passed);
  const box = h('section', { class: 'panel', 'aria-labelledby': 'may-h', id: 'may-apply' }, h('h2', { id: 'may-h' }, t('mayApply')));
  const queueName = o.queueTypeDisplayName || o.type;
  const fix = (c) => {
    if (c.type === 'queue' && token) {
      return h('button', { type: 'button', class: 'btn secondary', onclick: async (ev) => {
        busy(ev.target, true);
        try { await api('POST', 'v2/market/applicant/queues/' + encodeURIComponent(o.queueType || o.type), { command: 'join' }); say(t('joined', queueName)); route(); } catch (e) { busy(ev.target, false); say(e.message); ev.target.after(failure(e)); }
      } }, t('joinQueue', queueName));
    }
    if (c.type === 'login' || (c.type === 'applicant' && !token)) return h('a', { href: '#/signin?next=' + encodeURIComponent('/object/' + (o.localId || o.id)) }, t('signInToApply'));
    if (c.type === 'applied') return h('a', { href: '#/applications' }, t('navApplications'));
    return null;
  };
  if (!failed.length) box.append(h('p', { class: 'alert ok' }, t('youMayApply')));
  else box.append(h('p', {}, t('youMayNot')));
  box.append(h('ul', { class: 'checks' }, apply.checklist.filter((c) => !c.passed || c.type === 'open').map((c) => h('li', { class: c.passed ? 'ok' : 'fail' },
    h('span', { class: 'badge ' + (c.passed ? 'ok' : 'fail') }, c.passed ? t('checkOk') : t('checkFail')),
    c.message || '', c.passed ? null : h('p', { class: 'hint' }, t('fix_' + c.type, queueName)), c.passed ? null : fix(c)))));
  const s = status.screening;
  if (s) {
    const bad = (s.checks || []).filter((c) => !c.passed);
    put(box, h('h3', { style: null }, t('screening')),
      h('p', { class: bad.length ? 'alert warn' : 'alert ok' }, bad.length ? t('screeningFail') : t('screeningOk')),
      bad.length ? h('ul', { class: 'checks', id: 'screening' }, bad.map((c) => h('li', { class: 'fail' },
        h('span', { class: 'badge fail' }, t('checkFail')), c.message,
        h('p', { class: 'hint' }, c.type === 'income' ? t('fix_income', money(c.needed)) : c.type === 'student' ? t('fix_student') : t('fix_profile')),
        h('a', { href: '#/profile' }, t('toProfile'))))) : null);
  }
  if (token && !failed.length) {
    const button = h('button', { type: 'button', class: 'btn', id: 'apply' }, t('apply'));
    button.addEventListener('click', async () => {
      busy(button, true);
      try {
        await api('POST', 'v2/market/' + encodeURIComponent(o.localId || o.id) + '/applications', { command: { type: 'apply' } });
        say(t('applied'));
        location.hash = '#/applications';
      } catch (e) { busy(button, false); box.append(failure(e)); say(e.message); }
    });
    box.append(h('div', { class: 'actions' }, button));
  }
  return box;
}
// A lottery listing's commitment (rentd's `lottery`), checked here: SHA-256(seed) = commitment.
function lotteryBox(o, ticket) {
  const l = o.lottery;
  if (!l) return null;
  const box = h('section', { class: 'panel', 'aria-labelledby': 'lot-h' }, h('h2', { id: 'lot-h' }, t('lottery')),
    h('p', {}, t('lotteryText')), h('p', {}, h('code', { class: 'hash' }, l.commitment)),
    h('p', { class: 'muted' }, t('lotteryCommitted', when(l.committedAt))));
  if (!l.drawn) box.append(h('p', {}, t('lotteryPending')));
  else {
    box.append(h('p', {}, t('lotteryDrawn', when(l.drawnAt))), h('p', {}, h('code', { class: 'hash' }, l.seed)));
    const out = h('p', { role: 'status' });
    box.append(out);
    if (window.crypto && crypto.subtle && /^[0-9a-f]{64}$/.test(l.seed)) {
      const bytes = new Uint8Array(l.seed.match(/../g).map((x) => parseInt(x, 16)));
      crypto.subtle.digest('SHA-256', bytes).then((d) => {
        const hex = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
        out.textContent = hex === l.commitment ? t('lotteryVerified') : t('lotteryMismatch');
        out.className = hex === l.commitment ? 'alert ok' : 'alert';
      });
    }
  }
  if (ticket) box.append(h('p', {}, t('lotteryTicket', ticket)));
  return box;
}

// ---- sign in, sign up ----
async function pkce() { // S256 of a random verifier (PKCE, as the embedded login asks); left out without WebCrypto
  if (!(window.crypto && crypto.subtle)) return {};
  const verifier = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...d)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { codeChallenge: challenge, codeChallengeMethod: 'S256' };
}
async function signIn(identifier, key) {
  const r = await api('POST', 'v2/auth', Object.assign({ method: 'password', identifier, key,
    returnAddress: location.origin + location.pathname, nonce: String(Math.random()).slice(2), state: 'portal' }, await pkce()));
  if (!r || !r.completed || !r.completed.accessToken) throw new ApiError(401, { message: t('badLogin') });
  remember(r.completed.accessToken);
  renderNav();
}
function signInPage(params) {
  const form = h('form', { class: 'stack panel', novalidate: true },
    field('email', 'identifier', { type: 'email', required: true, autocomplete: 'username' }),
    field('password', 'key', { type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit' }, t('signIn'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    busy(button, true);
    try {
      await signIn(value(form, 'identifier'), form.elements.key.value);
      location.hash = '#' + (params.get('next') || '/applications');
    } catch (e) {
      busy(button, false);
      showErrors(form, e.status === 401 ? new ApiError(401, { message: t('badLogin') }) : e);
    }
  });
  page(t('signInTitle'), form, h('p', {}, t('noAccount'), ' ', h('a', { href: '#/signup' }, t('navSignUp'))));
}
function signUpPage() {
  const form = h('form', { class: 'stack panel', novalidate: true },
    field('firstName', 'firstName', { required: true, autocomplete: 'given-name' }),
    field('lastName', 'lastName', { required: true, autocomplete: 'family-name' }),
    field('personalNumber', 'personalNumber', { required: true, inputmode: 'numeric' }),
    field('email', 'email', { type: 'email', required: true, autocomplete: 'email' }),
    field('phone', 'phone', { type: 'tel', autocomplete: 'tel' }),
    field('password', 'password', { type: 'password', required: true, autocomplete: 'new-password' }, t('passwordHint')),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit' }, t('signUp'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    const body = { firstName: value(form, 'firstName'), lastName: value(form, 'lastName'), email: value(form, 'email'),
      personalNumber: value(form, 'personalNumber'), password: form.elements.password.value };
    if (value(form, 'phone')) body.phone = value(form, 'phone');
    busy(button, true);
    try {
      await api('POST', 'v2/applicants', body);
      await signIn(body.email, body.password);
      location.hash = '#/profile';
    } catch (e) { busy(button, false); showErrors(form, e); }
  });
  page(t('signUpTitle'), form, h('p', {}, t('haveAccount'), ' ', h('a', { href: '#/signin' }, t('navSignIn'))));
}

// ---- my profile (GET/PATCH /v2/market/applicant/profile) ----
const SOURCES = ['employment_permanent', 'employment_temporary', 'self_employed', 'student', 'pension', 'unemployment_benefit',
  'activity_compensation', 'sick_leave', 'parental_leave', 'other'];
const OCCUPATIONS = ['employed', 'self_employed', 'student', 'retired', 'unemployed', 'parental_leave', 'sick_leave', 'other'];
const HOUSING = ['rental', 'sublet', 'owned_apartment', 'owned_house', 'lodger', 'with_parents', 'student_housing', 'other'];
async function profilePage() {
  if (needSignIn()) return;
  page(t('profileTitle'), h('p', {}, t('loading')));
  let p;
  try { p = await api('GET', 'v2/market/applicant/profile'); } catch (e) { page(t('profileTitle'), failure(e)); return; }
  const hh = p.household || {}, inc = p.income || {};
  const form = h('form', { class: 'panel', novalidate: true },
    h('p', {}, [p.firstName, p.lastName].join(' '), ' · ', p.email),
    h('fieldset', {}, h('legend', {}, t('economy')),
      field('income', 'gross', { type: 'number', min: 0, inputmode: 'numeric', value: inc.gross }),
      field('incomeSource', 'source', { options: SOURCES.map((s) => [s, t('src_' + s)]), value: inc.source }),
      field('occupation', 'occupation', { options: OCCUPATIONS.map((s) => [s, t('occ_' + s)]), value: p.occupation }),
      field('paymentRemarks', 'paymentRemarks', { type: 'number', min: 0, inputmode: 'numeric', value: (p.credit || {}).paymentRemarks ?? 0 })),
    h('fieldset', {}, h('legend', {}, t('household')),
      field('adults', 'adults', { type: 'number', min: 1, max: 20, inputmode: 'numeric', value: hh.adults ?? 1 }),
      field('children', 'children', { type: 'number', min: 0, max: 20, inputmode: 'numeric', value: hh.children ?? 0 }),
      field('pets', 'pets', { type: 'checkbox', checked: p.pets }),
      field('smoking', 'smoking', { type: 'checkbox', checked: p.smoking })),
    h('fieldset', {}, h('legend', {}, t('living')),
      field('accommodation', 'type', { options: HOUSING.map((s) => [s, t('acc_' + s)]), value: (p.accommodation || {}).type })),
    h('fieldset', {}, h('legend', {}, t('contact')), field('phone', 'phone', { type: 'tel', value: p.phone, autocomplete: 'tel' })),
    h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit', id: 'save' }, t('save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    const income = { gross: numberOr(value(form, 'gross')) ?? 0 };
    if (value(form, 'source')) income.source = value(form, 'source');
    const body = { income, household: { adults: numberOr(value(form, 'adults')) ?? 1, children: numberOr(value(form, 'children')) ?? 0 },
      pets: form.elements.pets.checked, smoking: form.elements.smoking.checked,
      credit: { paymentRemarks: numberOr(value(form, 'paymentRemarks')) ?? 0 }, phone: value(form, 'phone') || null };
    if (value(form, 'occupation')) body.occupation = value(form, 'occupation');
    if (value(form, 'type')) body.accommodation = { type: value(form, 'type') };
    busy(button, true);
    try {
      await api('PATCH', 'v2/market/applicant/profile', body);
      busy(button, false);
      form.querySelectorAll('.form-alert').forEach((n) => n.remove());
      const ok = h('p', { class: 'alert ok form-alert', id: 'saved' }, t('saved'));
      form.prepend(ok);
      say(t('saved'));
    } catch (e) { busy(button, false); showErrors(form, e); }
  });
  page(t('profileTitle'), form);
}

// ---- my queues (GET /v2/market/applicant, POST …/queues/{id}) ----
async function queuesPage() {
  if (needSignIn()) return;
  page(t('queuesTitle'), h('p', {}, t('loading')));
  let a;
  try { a = await api('GET', 'v2/market/applicant'); } catch (e) { page(t('queuesTitle'), failure(e)); return; }
  page(t('queuesTitle'), h('ul', { class: 'list' }, (a.queues || []).map((q) => {
    const cmd = (q.commands || [])[0];
    const bad = cmd ? (cmd.checklist || []).filter((c) => !c.passed && c.message) : [];
    const button = cmd ? h('button', { type: 'button', class: 'btn' + (cmd.command === 'leave' ? ' secondary' : ''),
      disabled: bad.length > 0, onclick: async (ev) => {
        busy(ev.target, true);
        try { await api('POST', 'v2/market/applicant/queues/' + encodeURIComponent(q.id), { command: cmd.command }); say(t(cmd.command === 'join' ? 'joined' : 'left', q.displayName)); queuesPage(); } catch (e) { busy(ev.target, false); ev.target.after(failure(e)); }
      } }, (cmd.command === 'join' ? t('join') : t('leave')) + ' – ' + q.displayName) : null;
    return h('li', { class: 'panel' }, h('h2', {}, q.displayName), q.description ? h('p', { class: 'muted' }, q.description) : null,
      h('p', { class: 'price' }, t('points', num(q.value || 0))),
      h('p', {}, q.isMember ? t('member', when(q.joined, false)) : t('notMember')),
      q.block ? h('p', { class: 'alert' }, t('blocked', q.block.blockedUntilDate)) : null,
      bad.map((c) => h('p', { class: 'hint' }, c.message)), button);
  })));
}

// ---- my applications (GET /v2/market/applications[/{id}], POST …/{object}/applications/{id}) ----
function explanation(x) {
  if (!x) return null;
  const rule = { queue_points: t('ruleQueue'), first_come_first: t('ruleFirst'), random: t('ruleRandom') }[x.rule];
  const own = x.own || {};
  return h('div', { class: 'explain' }, h('h3', {}, t('whyPlace')),
    h('p', {}, rule, ' ', x.ranked && own.place ? t('rankedOf', own.place, x.rankedCount) : ''),
    own.points !== undefined && x.rule === 'queue_points' ? h('p', {}, t('yourPoints', num(own.points))) : null,
    own.appliedAt ? h('p', {}, t('appliedAt', when(own.appliedAt))) : null,
    h('p', {}, x.offeredThrough ? t('offeredThrough', x.offeredThrough) : t('noOffersYet')),
    x.text ? h('p', { class: 'muted' }, x.text) : null); // in the page's language (the API follows Accept-Language)
}
async function applicationsPage() {
  if (needSignIn()) return;
  page(t('applicationsTitle'), h('p', {}, t('loading')));
  let r;
  try { r = await api('GET', 'v2/market/applications'); } catch (e) { page(t('applicationsTitle'), failure(e)); return; }
  const items = r.items || [];
  page(t('applicationsTitle'), items.length ? h('ul', { class: 'list', id: 'applications' }, items.map((a) => {
    const mo = a.marketObject || {};
    return h('li', { class: 'panel' },
      h('h2', {}, h('a', { href: '#/application/' + encodeURIComponent(a.id) }, mo.displayName || a.id)),
      h('p', {}, h('strong', {}, t('status') + ': '), a.statusDisplayName || ''),
      h('p', { class: 'price place' }, a.placeSorted ? t('place', a.placeSorted) : t('noPlace')),
      explanation(a.placeExplanation));
  })) : h('p', {}, t('noApplications')));
}
async function command(a, type, data) {
  const body = { etag: a.etag, command: data ? { type, data } : { type } };
  const r = await api('POST', 'v2/market/' + encodeURIComponent(a.marketObject.id) + '/applications/' + encodeURIComponent(a.id), body);
  return r.application;
}
async function downloadContract(agreement, button) {
  busy(button, true);
  try {
    const blob = await api('GET', agreement.contract.address.replace(apiBase(), ''), undefined, true);
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: 'kontrakt-' + agreement.id + '.pdf', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say(t('downloaded'));
  } catch (e) { button.after(failure(e)); }
  busy(button, false);
}
async function agreementFor(applicationId) {
  const r = await api('GET', 'v2/market/agreements');
  return (r.items || []).find((g) => g.applicationId === String(applicationId));
}
let refresh = null;
async function applicationPage(id) {
  if (needSignIn()) return;
  page(t('loading'));
  let a, o = null;
  try {
    a = (await api('GET', 'v2/market/applications/' + encodeURIComponent(id))).application;
    o = await api('GET', 'v2/market/objects/' + encodeURIComponent(a.marketObject.id)).catch(() => null);
  } catch (e) { page(e.status === 404 ? t('notFound') : t('applicationsTitle'), failure(e)); return; }
  const mo = a.marketObject || {}, pr = a.presentation || {}, data = pr.data || {};
  const area = h('section', { class: 'panel', id: 'step', 'aria-labelledby': 'step-h' });
  const run = (type, payload, confirmText) => async (ev) => {
    if (confirmText && !window.confirm(confirmText)) return;
    busy(ev.target, true);
    try { await command(a, type, payload); say(t('status') + ': ' + type); applicationPage(id); } catch (e) { busy(ev.target, false); area.append(failure(e)); say(e.message); }
  };
  const cmds = (a.commands || []).map((c) => c.command);
  if (pr.execution) {
    area.append(h('h2', { id: 'step-h' }, a.statusDisplayName), h('p', {}, t('processing')));
    clearTimeout(refresh);
    refresh = setTimeout(() => { if (location.hash === '#/application/' + id) applicationPage(id); }, 1500);
  } else if (pr.type === 'questionYesNo') {
    area.append(h('h2', { id: 'step-h' }, t('offerTitle')), h('p', {}, data.question),
      data.answerBefore ? h('p', { class: 'alert warn' }, t('answerBefore', when(data.answerBefore))) : null,
      h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', id: 'yes', onclick: run('yes') }, t('yes')),
        h('button', { class: 'btn secondary', type: 'button', id: 'no', onclick: run('no', undefined, t('confirmNo')) }, t('no'))));
  } else if (pr.type === 'form') {
    const profile = await api('GET', 'v2/market/applicant/profile').catch(() => ({}));
    const inputs = [];
    for (const section of (data.form && data.form.elements) || []) {
      for (const el of section.elements || []) {
        const f = el.field, req = el.options && el.options.required;
        if (f === 'income') inputs.push(h('fieldset', {}, h('legend', {}, section.title || t('income')),
          field('income', 'gross', { type: 'number', min: 0, required: req, value: (profile.income || {}).gross }),
          field('incomeSource', 'source', { options: SOURCES.map((s) => [s, t('src_' + s)]), value: (profile.income || {}).source })));
        else if (f === 'accommodation') inputs.push(h('fieldset', {}, h('legend', {}, section.title || t('accommodation')),
          field('accommodation', 'type', { options: HOUSING.map((s) => [s, t('acc_' + s)]), required: req, value: (profile.accommodation || {}).type })));
        else if (f === 'household') inputs.push(h('fieldset', {}, h('legend', {}, section.title || t('household')),
          field('adults', 'adults', { type: 'number', min: 1, max: 20, value: (profile.household || {}).adults ?? 1 }),
          field('children', 'children', { type: 'number', min: 0, max: 20, value: (profile.household || {}).children ?? 0 })));
      }
    }
    const form = h('form', { novalidate: true }, inputs, h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'submit', id: 'done' }, t('done'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const d = {};
      if (form.elements.gross) { d.income = { gross: numberOr(value(form, 'gross')) ?? 0 }; if (value(form, 'source')) d.income.source = value(form, 'source'); }
      if (form.elements.type && value(form, 'type')) d.accommodation = { type: value(form, 'type') };
      if (form.elements.adults) d.household = { adults: numberOr(value(form, 'adults')) ?? 1, children: numberOr(value(form, 'children')) ?? 0 };
      const button = form.querySelector('button[type=submit]');
      busy(button, true);
      try { await command(a, 'done', d); applicationPage(id); } catch (e) { busy(button, false); showErrors(form, e); }
    });
    put(area, h('h2', { id: 'step-h' }, t('formTitle')), data.message ? h('p', {}, data.message) : null,
      data.answerBefore ? h('p', { class: 'alert warn' }, t('answerBefore', when(data.answerBefore))) : null, form);
  } else if (pr.type === 'viewingInfo') {
    put(area, h('h2', { id: 'step-h' }, t('viewingTitle')), data.text ? h('p', {}, data.text) : null,
      data.notes ? h('p', {}, data.notes) : null, data.continues ? h('p', {}, t('viewingUntil', when(data.continues))) : null);
  } else if (pr.type === 'signing' || pr.type === 'contractSigned') {
    const signedNow = pr.type === 'contractSigned';
    area.append(h('h2', { id: 'step-h' }, signedNow ? t('signed') : t('signingTitle')), h('p', {}, signedNow ? t('signedText') : t('signingText')));
    const g = await agreementFor(a.id).catch(() => null);
    const actions = h('div', { class: 'actions' });
    if (g) {
      const dl = h('button', { class: 'btn secondary', type: 'button', id: 'download' }, signedNow ? t('downloadContract') : t('readContract'));
      dl.addEventListener('click', () => downloadContract(g, dl));
      actions.append(dl);
    }
    if (cmds.includes('sign')) actions.append(h('button', { class: 'btn', type: 'button', id: 'sign', onclick: run('sign') }, t('sign')));
    area.append(actions);
  } else {
    const text = { completed: t('completedText'), cancelled: data.description || t('cancelledText'), annulled: data.description || t('annulledText'),
      removed: t('removedText') }[pr.type];
    put(area, h('h2', { id: 'step-h' }, a.statusDisplayName || ''), text ? h('p', {}, text) : null);
  }
  if (cmds.includes('remove') && pr.type !== 'form') area.append(h('div', { class: 'actions' },
    h('button', { class: 'btn secondary', type: 'button', onclick: run('remove', undefined, t('confirmRemove')) }, t('remove'))));
  const steps = (a.history && a.history.steps) || [];
  page(mo.displayName || t('applicationsTitle'),
    h('p', {}, h('a', { href: '#/applications' }, t('navApplications')), ' · ', h('a', { href: '#/object/' + encodeURIComponent(mo.id) }, mo.displayName)),
    h('div', { class: 'layout' },
      h('div', {}, area,
        h('section', { class: 'panel' }, h('p', { class: 'price place' }, a.placeSorted ? t('place', a.placeSorted) : t('noPlace')), explanation(a.placeExplanation)),
        steps.length ? h('section', { class: 'panel', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, t('history')),
          h('ul', {}, steps.map((s) => h('li', {}, when(s.occurred), ' – ', s.statusDisplayName, s.answer ? ' (' + t('answered', s.answer) + ')' : '')))) : null),
      h('div', {}, o ? lotteryBox(o, a.placeExplanation && a.placeExplanation.own && a.placeExplanation.own.ticket) : null)));
}

// ---- my agreements (rentd's GET /v2/market/agreements) ----
async function agreementsPage() {
  if (needSignIn()) return;
  page(t('agreementsTitle'), h('p', {}, t('loading')));
  let r;
  try { r = await api('GET', 'v2/market/agreements'); } catch (e) { page(t('agreementsTitle'), failure(e)); return; }
  const items = r.items || [];
  page(t('agreementsTitle'), items.length ? h('ul', { class: 'list' }, items.map((g) => {
    const dl = h('button', { class: 'btn secondary', type: 'button' }, t('download'));
    dl.addEventListener('click', () => downloadContract(g, dl));
    return h('li', { class: 'panel' }, h('h2', {}, g.displayName + ', ' + g.city),
      h('p', {}, t('landlord') + ': ' + ((g.landlord || {}).displayName || '')),
      h('p', {}, t('created', when(g.created))), h('p', {}, g.signed ? t('signedAt', when(g.signed)) : t('notSigned')), dl);
  })) : h('p', {}, t('noAgreements')));
}

// ---- the router ----
function route() {
  clearTimeout(refresh);
  const hash = location.hash;
  if (hash && !hash.startsWith('#/')) return; // an in-page anchor (the skip link)
  const [path, qs] = (hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(qs || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  renderNav();
  switch (parts[0] || '') {
    case '': return searchPage(params);
    case 'object': return objectPage(parts[1]);
    case 'signin': return signInPage(params);
    case 'signup': return signUpPage();
    case 'profile': return profilePage();
    case 'queues': return queuesPage();
    case 'applications': return applicationsPage();
    case 'application': return applicationPage(parts[1]);
    case 'agreements': return agreementsPage();
    default: page(t('notFound'), h('p', {}, t('notFoundText')), h('p', {}, h('a', { href: '#/' }, t('toStart'))));
  }
}

let configured = Promise.resolve();
async function start() {
  document.getElementById('lang').addEventListener('click', switchLang);
  renderNav();
  try {
    settings = await fetch('/assets/app-settings.json', { headers: { Accept: 'application/json' } }).then((r) => r.json());
  } catch (e) { settings = null; }
  // the brand and the types come beside the first page, not before it
  configured = api('GET', 'v2/client/configuration?market=true').then((c) => { config = c; applyBrand(); }).catch(() => {});
  window.addEventListener('hashchange', route);
  route();
}
start();
