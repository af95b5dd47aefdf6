/*
 * rentd listing widget: shows a landlord's published listings as cards on any web page
 * (docs/WIDGET.md). The HomeQ embed code works unchanged:
 *
 *   <link rel="stylesheet" type="text/css" href="https://RENTD/widgets/overview.css"/>  end of head
 *   <div id="homeq-anchor" data-company="3"></div>                                      where the cards go
 *   <script type="application/javascript" src="https://RENTD/widgets/overview.js"></script>  end of body
 *
 * Anchors: #homeq-anchor, #rentd-anchor, or any element with a data-rentd-widget attribute.
 * Attributes of an anchor:
 *   data-company      the company id (required)
 *   data-environment  "production" (default): the server this script was loaded from;
 *                     "demo": that server's demo twin (the first host label gets "-demo",
 *                     widgets.example.se → widgets-demo.example.se; hosts without a dot and
 *                     IP addresses have none and stay as they are); or an http(s) URL of a
 *                     rentd server
 *   data-amount       at most this many cards in all (default: every published listing)
 *   data-sorting      a card search sorting, default "publish_date.desc"
 *   data-link         a link template for each card: {id} {object_ad} {project} {type} {company}
 *   data-lang         "sv" or "en" (default: the page's lang attribute, else English)
 * The anchor's data-rentd-state tells how far it got: loading, ready, empty or error.
 * Cards come from POST /api/v3/cards/ {company, sorting, offset, amount}, one page of PAGE_SIZE
 * at a time: the first when the anchor is mounted, the next when the "show more" button at the
 * end of the grid comes near the viewport (IntersectionObserver) or is pressed. Pictures are
 * the thumbnails of the cards' first images (lazy, with their size, so nothing shifts).
 * Styles are custom properties (overview.css).
 * window.RentdWidget.mount(element) renders an anchor added to the page later.
 */
(function () {
	'use strict';

	/* a browser this old keeps whatever the page put in the anchor */
	if (typeof window.fetch !== 'function' || typeof window.URL !== 'function')
		return;

	/* cards per request: a few screens of cards, a few tens of kilobytes of JSON */
	var PAGE_SIZE = 24;
	/* the thumbnail widths offered to the browser (rentd makes 320, 460, 840, 1440, 1920, 2880) */
	var THUMB_WIDTHS = [320, 460, 840];
	/* start the next page this far below the viewport, so it is there before it is scrolled to */
	var PRELOAD_MARGIN = '0px 0px 600px 0px';

	var script = document.currentScript || document.querySelector('script[src*="/widgets/overview.js"]');
	var scriptOrigin = script && script.src ? new URL(script.src, document.baseURI).origin : window.location.origin;

	var LABELS = {
		en: {
			loading: 'Loading homes…',
			empty: 'No homes are available right now.',
			error: 'The homes could not be loaded. Please try again later.',
			count: function (n, text) { return n === 1 ? '1 home available' : text + ' homes available'; },
			more: function (shown, total) { return 'Show more homes (' + shown + ' of ' + total + ')'; },
			loadingMore: 'Loading more homes…',
			moreError: 'More homes could not be loaded. Try again',
			rooms: function (n, text) { return n === 1 ? '1 room' : text + ' rooms'; },
			area: function (n) { return n + ' m²'; },
			rent: function (s) { return s + ' kr/month'; },
			access: function (d) { return 'Available ' + d; },
			apartments: function (n) { return n === 1 ? '1 apartment' : n + ' apartments'; },
			project: 'New development',
			shortLease: 'Short lease',
			audience: { senior: 'Seniors', student: 'Students', youth: 'Young people' },
			demo: 'Demo'
		},
		sv: {
			loading: 'Hämtar bostäder…',
			empty: 'Just nu finns inga lediga bostäder.',
			error: 'Bostäderna kunde inte hämtas. Försök igen senare.',
			count: function (n, text) { return n === 1 ? '1 ledig bostad' : text + ' lediga bostäder'; },
			more: function (shown, total) { return 'Visa fler bostäder (' + shown + ' av ' + total + ')'; },
			loadingMore: 'Hämtar fler bostäder…',
			moreError: 'Fler bostäder kunde inte hämtas. Försök igen',
			rooms: function (n, text) { return text + ' rum'; },
			area: function (n) { return n + ' m²'; },
			rent: function (s) { return s + ' kr/mån'; },
			access: function (d) { return 'Tillträde ' + d; },
			apartments: function (n) { return n === 1 ? '1 lägenhet' : n + ' lägenheter'; },
			project: 'Nyproduktion',
			shortLease: 'Korttidskontrakt',
			audience: { senior: 'Senior', student: 'Student', youth: 'Ungdom' },
			demo: 'Demo'
		}
	};

	function language(anchor) {
		var lang = (anchor.getAttribute('data-lang') || document.documentElement.lang || '').toLowerCase();
		return lang.slice(0, 2) === 'sv' ? 'sv' : 'en';
	}

	/* The demo twin of an origin: "-demo" after the first host label (api.x.se → api-demo.x.se). */
	function demoOrigin(origin) {
		var url = new URL(origin);
		var host = url.hostname;
		var dot = host.indexOf('.');
		if (dot < 0 || /^[0-9.]+$/.test(host) || host.charAt(0) === '[' || /-demo$/.test(host.slice(0, dot)))
			return origin;
		url.hostname = host.slice(0, dot) + '-demo' + host.slice(dot);
		return url.origin;
	}

	/* The server to ask, or null for an environment this script does not know. */
	function apiBase(anchor) {
		var env = (anchor.getAttribute('data-environment') || '').trim();
		if (env === '' || env === 'production')
			return scriptOrigin;
		if (env === 'demo')
			return demoOrigin(scriptOrigin);
		if (/^https?:\/\/[^\s]+$/i.test(env))
			return env.replace(/\/+$/, '');
		return null;
	}

	function el(tag, className, text) {
		var node = document.createElement(tag);
		if (className)
			node.className = className;
		if (text !== undefined && text !== null)
			node.textContent = String(text);
		return node;
	}

	function number(lang, n) {
		try {
			return new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
		} catch (e) {
			return String(n);
		}
	}

	function isNumber(v) {
		return typeof v === 'number' && isFinite(v);
	}

	/* The card's link from the anchor's template; only http(s) and relative results. */
	function cardLink(template, card, company) {
		var refs = card.references || {};
		var values = {
			id: card.id, object_ad: refs.object_ad, project: refs.project, type: card.type,
			company: refs.company || company
		};
		var href = template.replace(/\{(id|object_ad|project|type|company)\}/g, function (m, key) {
			var v = values[key];
			return v === undefined || v === null ? '' : encodeURIComponent(String(v));
		});
		return /^(https?:\/\/|\/)/i.test(href) ? href : null;
	}

	function firstImage(card) {
		var images = Array.isArray(card.images) ? card.images.slice() : [];
		images.sort(function (a, b) { return (a.position || 0) - (b.position || 0); });
		for (var i = 0; i < images.length; i++)
			if (images[i] && typeof images[i].image === 'string' && /^(https?:\/\/|\/)/i.test(images[i].image))
				return images[i];
		return null;
	}

	/*
	 * A thumbnail of an original picture by the media URL rule rentd shares with HomeQ: the
	 * width as a directory before the category, and ".jpeg" (/media/apartment_images/ab12.png →
	 * /media/320/apartment_images/ab12.jpeg). Only the categories that get thumbnails; null for
	 * any other URL, which is then shown as it is.
	 */
	var THUMBNAILED = /^(.*\/media\/)((?:estate|estate_area|apartment|project|project_area)_images\/[\w-]+)\.\w+$/;

	function thumbnail(url, width) {
		var m = THUMBNAILED.exec(url);
		return m ? m[1] + width + '/' + m[2] + '.jpeg' : null;
	}

	/* The card's picture: a lazy thumbnail with its size known before it loads. */
	function renderImage(image, card) {
		var img = el('img', 'rentd-card__image');
		var original = image.image;
		var small = thumbnail(original, THUMB_WIDTHS[0]);

		/* before src: a lazy image is not fetched until it nears the viewport */
		img.loading = 'lazy';
		img.decoding = 'async';
		img.width = 320;
		img.height = 240;
		img.alt = [image.caption, card.title].filter(function (s) {
			return typeof s === 'string' && s;
		}).join(' – ');
		if (small) {
			img.srcset = THUMB_WIDTHS.map(function (w) { return thumbnail(original, w) + ' ' + w + 'w'; }).join(', ');
			img.sizes = '(max-width: 600px) 100vw, 340px';
			/* a picture uploaded a moment ago may have no thumbnails yet: then the original */
			img.onerror = function () {
				img.onerror = null;
				img.removeAttribute('srcset');
				img.removeAttribute('sizes');
				img.src = original;
			};
		}
		img.src = small || original;
		return img;
	}

	function facts(card, t, lang) {
		var list = el('ul', 'rentd-card__facts');
		function add(text) {
			list.appendChild(el('li', 'rentd-card__fact', text));
		}
		if (card.type === 'project') {
			if (isNumber(card.active_ads))
				add(t.apartments(card.active_ads));
		} else {
			if (isNumber(card.rooms))
				add(t.rooms(card.rooms, number(lang, card.rooms)));
			if (isNumber(card.area))
				add(t.area(number(lang, card.area)));
			if (typeof card.date_access === 'string' && card.date_access)
				add(t.access(card.date_access.slice(0, 10)));
		}
		return list;
	}

	function rentText(card, t, lang) {
		if (card.type === 'project') {
			var r = card.rent_range;
			if (!Array.isArray(r) || r.length !== 2 || !isNumber(r[0]) || !isNumber(r[1]))
				return null;
			return t.rent(r[0] === r[1] ? number(lang, r[0]) : number(lang, r[0]) + '–' + number(lang, r[1]));
		}
		return isNumber(card.rent) ? t.rent(number(lang, card.rent)) : null;
	}

	function badges(card, t) {
		var list = el('ul', 'rentd-card__badges');
		var audience = Array.isArray(card.audience) ? card.audience : [card.audience];
		var short = Array.isArray(card.is_short_lease) ? card.is_short_lease.indexOf(true) >= 0 : card.is_short_lease === true;
		if (card.type === 'project')
			list.appendChild(el('li', 'rentd-card__badge rentd-card__badge--project', t.project));
		if (short)
			list.appendChild(el('li', 'rentd-card__badge', t.shortLease));
		audience.forEach(function (a) {
			if (t.audience[a])
				list.appendChild(el('li', 'rentd-card__badge', t.audience[a]));
		});
		return list.children.length ? list : null;
	}

	function renderCard(card, anchor, company, t, lang) {
		var refs = card.references || {};
		var article = el('article', 'rentd-card rentd-card--' + (card.type === 'project' ? 'project' : 'individual'));
		var template = anchor.getAttribute('data-link');
		var href = template ? cardLink(template, card, company) : null;
		var box = href ? el('a', 'rentd-card__link') : el('div', 'rentd-card__content');
		var image = firstImage(card);
		var media = el('div', 'rentd-card__media');
		var body = el('div', 'rentd-card__body');
		var place = [card.city, card.municipality].filter(function (p, i, all) {
			return typeof p === 'string' && p && all.indexOf(p) === i;
		}).join(', ');
		var rent = rentText(card, t, lang);
		var tags = badges(card, t);

		article.setAttribute('role', 'listitem');
		article.setAttribute('data-card-id', String(card.id));
		article.setAttribute('data-card-type', card.type === 'project' ? 'project' : 'individual');
		if (refs.object_ad)
			article.setAttribute('data-object-ad', String(refs.object_ad));
		if (refs.project)
			article.setAttribute('data-project', String(refs.project));
		if (href)
			box.href = href;
		if (image)
			media.appendChild(renderImage(image, card));
		box.appendChild(media);
		body.appendChild(el('h3', 'rentd-card__title', card.title || place));
		if (place)
			body.appendChild(el('p', 'rentd-card__place', place));
		body.appendChild(facts(card, t, lang));
		if (tags)
			body.appendChild(tags);
		if (rent)
			body.appendChild(el('p', 'rentd-card__rent', rent));
		box.appendChild(body);
		article.appendChild(box);
		return article;
	}

	function setState(anchor, root, state, message) {
		anchor.setAttribute('data-rentd-state', state);
		anchor.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
		root.querySelector('.rentd-widget__status').textContent = message;
	}

	/* One page of the card search: {results, total_hits}. */
	function fetchPage(base, request, offset, amount) {
		var body = {};
		Object.keys(request).forEach(function (key) { body[key] = request[key]; });
		body.offset = offset;
		body.amount = amount;
		return fetch(base + '/api/v3/cards/', {
			method: 'POST',
			mode: 'cors',
			credentials: 'omit',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify(body)
		}).then(function (response) {
			return response.json().catch(function () { return null; }).then(function (json) {
				if (!response.ok || !json || !Array.isArray(json.results))
					throw new Error('HTTP ' + response.status + (json && json.error ? ' ' + json.error : ''));
				return json;
			});
		});
	}

	/*
	 * The cards of one anchor, a page at a time. The next page starts at the number of cards
	 * the server has sent so far; a card already shown (the list moved between two pages) is
	 * not shown twice. The end is total_hits, data-amount, or a page shorter than asked for.
	 */
	function pager(anchor, root, base, request, cap, company, t, lang) {
		var grid = root.querySelector('.rentd-widget__grid');
		var footer = root.querySelector('.rentd-widget__more');
		var button = footer.querySelector('button');
		var offset = 0, total = 0, busy = false, done = false, failed = false;
		var seen = {};
		var observer = null;

		function available() {
			return Math.min(total, cap);
		}

		function showButton() {
			footer.hidden = done;
			button.disabled = busy;
			button.textContent = busy ? t.loadingMore : failed ? t.moreError :
				t.more(number(lang, grid.children.length), number(lang, available()));
			anchor.setAttribute('aria-busy', busy ? 'true' : 'false');
		}

		/* observe() reports the current intersection at once: a page that still leaves the
		 * button in view loads the next one */
		function watch() {
			if (!observer)
				return;
			observer.unobserve(footer);
			if (!done && !failed)
				observer.observe(footer);
		}

		function next() {
			var first = offset === 0, want;
			if (busy || done)
				return;
			want = Math.min(PAGE_SIZE, cap - offset);
			busy = true;
			if (!first)
				showButton();
			fetchPage(base, request, offset, want).then(function (json) {
				var cards = json.results, n;
				busy = false;
				failed = false;
				offset += cards.length;
				total = isNumber(json.total_hits) ? json.total_hits : offset;
				cards.forEach(function (card) {
					var key;
					if (!card || typeof card !== 'object')
						return;
					key = card.type + ':' + card.id;
					if (seen[key])
						return;
					seen[key] = true;
					grid.appendChild(renderCard(card, anchor, company, t, lang));
				});
				done = cards.length < want || offset >= available();
				if (grid.children.length) {
					n = Math.max(available(), grid.children.length);
					setState(anchor, root, 'ready', t.count(n, number(lang, n)));
				} else {
					setState(anchor, root, 'empty', t.empty);
				}
				showButton();
				watch();
			}).catch(function (e) {
				busy = false;
				console.error('rentd widget: the card search failed: ' + e.message);
				if (first) {
					done = true;
					footer.hidden = true;
					setState(anchor, root, 'error', t.error);
					return;
				}
				/* no retrying on its own: the button does, when pressed */
				failed = true;
				showButton();
				watch();
			});
		}

		button.addEventListener('click', function () {
			failed = false;
			next();
		});
		if (typeof window.IntersectionObserver === 'function') {
			observer = new IntersectionObserver(function (entries) {
				entries.forEach(function (entry) {
					if (entry.isIntersecting && !failed)
						next();
				});
			}, { rootMargin: PRELOAD_MARGIN });
		}
		return next;
	}

	function mount(anchor) {
		if (!anchor || anchor.getAttribute('data-rentd-mounted'))
			return;
		anchor.setAttribute('data-rentd-mounted', 'true');

		var lang = language(anchor);
		var t = LABELS[lang];
		var company = (anchor.getAttribute('data-company') || '').trim();
		var base = apiBase(anchor);
		var amount = (anchor.getAttribute('data-amount') || '').trim();
		var request = { company: Number(company), sorting: anchor.getAttribute('data-sorting') || 'publish_date.desc' };
		var root = el('div', 'rentd-widget');
		var grid = el('div', 'rentd-widget__grid');
		var footer = el('div', 'rentd-widget__more');

		grid.setAttribute('role', 'list');
		footer.hidden = true;
		footer.appendChild(el('button', 'rentd-widget__more-button'));
		footer.firstChild.type = 'button';
		root.appendChild(el('p', 'rentd-widget__status'));
		root.appendChild(grid);
		root.appendChild(footer);
		if (anchor.getAttribute('data-environment') === 'demo') {
			root.className += ' rentd-widget--demo';
			root.insertBefore(el('p', 'rentd-widget__demo', t.demo), root.firstChild);
		}
		while (anchor.firstChild)
			anchor.removeChild(anchor.firstChild);
		anchor.appendChild(root);
		if (!/^[1-9][0-9]{0,15}$/.test(company) || !base || (amount && !/^[1-9][0-9]{0,4}$/.test(amount))) {
			setState(anchor, root, 'error', t.error);
			console.error('rentd widget: needs data-company (a company id), a known data-environment ' +
				      '(production, demo or an http(s) URL) and an optional data-amount (1-99999)');
			return;
		}
		setState(anchor, root, 'loading', t.loading);
		pager(anchor, root, base, request, amount ? Number(amount) : Infinity, company, t, lang)();
	}

	function mountAll() {
		var anchors = document.querySelectorAll('#homeq-anchor, #rentd-anchor, [data-rentd-widget]');
		for (var i = 0; i < anchors.length; i++)
			mount(anchors[i]);
	}

	window.RentdWidget = { mount: mount };
	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', mountAll);
	else
		mountAll();
})();
