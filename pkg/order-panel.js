// <billpay-order-panel>: what a merchant does with a BillPay order in the shop
// admin — activate, cancel, credit returns, give a discount — following
// BillPay's rules (the plans come from the wasm core), with a preview and a
// confirmation step for each, a busy state (no double submit), and BillPay's
// merchant message on errors (this element is for admins only).
//
//   import init, { BillPayClient } from 'billpay-wasm';
//   import 'billpay-wasm/elements';
//   await init();
//   panel.client = new BillPayClient({ endpoint: '/billpay' }); // your relay
//   panel.order = order;                                       // the plug-in's Order shape
//   panel.addEventListener('billpay-cart-edited', (e) => save(e.detail.order));
//
// Light DOM, class names only: works under a strict CSP (no inline styles).

import { BillPayError } from './glue.js';

/**
 * What the elements extend: HTMLElement, or on a server (SSR, prerendering:
 * no DOM) an empty class, so that importing the elements there is harmless;
 * they are registered only where customElements exists.
 */
export const ElementBase = globalThis.HTMLElement ?? class {};

/**
 * Properties a page or framework set on an element before its class was
 * defined (this module loaded later) are plain own properties that hide the
 * accessors: hand them to the accessors when the element connects.
 */
export function adoptEarlyProperties(element, names) {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(element, name)) {
      const value = element[name];
      delete element[name];
      element[name] = value;
    }
  }
}

/**
 * What the admin can do about an error, in the panel's language: the core's
 * messages are for developers (English, naming functions); these say what to
 * do in the shop's admin. An answer that may have been lost comes first:
 * BillPay may have carried the request out. (An order past its deadline
 * needs none: the panel shows the EXPIRED warning above.)
 */
function adviceOf(t, code) {
  if (code === 'TIMEOUT' || code === 'NETWORK_ERROR') return t.advice.unknown;
  return Object.hasOwn(t.advice, code) ? t.advice[code] : undefined;
}

/** A module that could not be loaded, as the `billpay-error` event's detail. */
export function loadError(error) {
  if (error instanceof BillPayError) return error;
  return new BillPayError('NOT_INITIALIZED', `billpay-wasm could not be loaded: ${error?.message ?? String(error)}`, { cause: error });
}

// The full module (order rules) is loaded when the first panel is connected,
// as a chunk of its own: storefront pages that import the elements for the
// payment block never download the admin code.
let full;
function loadFullModule() {
  full ??= import('./index.js')
    .then(async (api) => {
      await api.init();
      return api;
    })
    .catch((error) => {
      // The next render tries again (the .wasm may be back).
      full = undefined;
      throw error;
    });
  return full;
}

const MERCHANT_SERVICE = 'haendler@billpay.de';

// E-mails to BillPay's merchant service are written in German from a German
// panel and in English from every other (the two languages of BillPay's own
// modules and of its merchant service).
const MAIL = {
  de: {
    extensionSubject: (reference) => `Verlängerung des Zahlungsziels: Bestellung ${reference}`,
    reference: 'Bestellreferenz',
    paymentReference: 'Verwendungszweck',
    amount: 'Betrag',
    dueDate: 'Aktuelles Zahlungsziel',
    days: 'Gewünschte Verlängerung (Tage)',
    reason: 'Grund',
    questionSubject: (merchantId) => `Händler ${merchantId}: Anfrage`,
  },
  en: {
    extensionSubject: (reference) => `Payment-term extension: order ${reference}`,
    reference: 'Order reference',
    paymentReference: 'Payment reference',
    amount: 'Amount',
    dueDate: 'Current due date',
    days: 'Requested extension (days)',
    reason: 'Reason',
    questionSubject: (merchantId) => `Merchant ${merchantId}: question`,
  },
};

const TEXTS = {
  en: {
    title: 'BillPay',
    status: { preauthorized: 'Not activated', activated: 'Activated', cancelled: 'Cancelled' },
    total: 'Open amount',
    dueDate: 'Due date',
    expires: 'Activate by',
    daysLeft: (n) => (n === 1 ? '1 day left' : `${n} days left`),
    lastDay: 'last day',
    warnings: {
      EXPIRES_SOON: 'BillPay may cancel this order if it is not activated soon.',
      EXPIRED: 'Not activated within two months: BillPay may have cancelled this order. Contact BillPay’s merchant service.',
      NO_DUE_DATE: 'Activated, but no due date is known: check the order in BillPay’s back-office.',
      PAST_DUE: 'The due date has passed.',
    },
    activate: 'Activate',
    delayDays: 'Delay (days)',
    cancel: 'Cancel order',
    returns: 'Return items',
    returned: 'returned',
    of: 'of',
    shippingCredit: 'Shipping credit',
    discount: 'Discount',
    discountAmount: 'Discount (gross)',
    preview: 'Preview',
    confirm: 'Confirm',
    back: 'Back',
    busy: 'Sending to BillPay…',
    before: 'Before',
    after: 'After',
    credit: 'Credit',
    confirmActivate: (d) => `Activate now? The payment term starts${d === 1 ? ' in 1 day' : d > 0 ? ` in ${d} days` : ''}.`,
    confirmCancel: 'Cancel the whole order? The customer is credited the full amount.',
    fullCancel: 'Nothing remains: the order will be cancelled in full.',
    done: { activate: 'Activated.', cancel: 'Cancelled.', edit: 'Credited.' },
    error: 'BillPay refused',
    failed: 'Not done',
    advice: {
      unknown: 'BillPay could not be reached or did not answer in time. It may have carried the request out all the same: reload the order before trying again.',
      ALREADY_ACTIVATED: 'BillPay has this order activated already, or cancelled: reload the order to see its state.',
      STALE_PLAN: 'The order changed after this preview was made: reload the order and make the preview again.',
    },
    merchant: 'Merchant message',
    extension: 'Request payment-term extension',
    contact: 'Contact BillPay merchant service',
    form: { name: 'Name', merchantId: 'Merchant id', email: 'E-mail', reference: 'Order reference', customerId: 'Customer id', message: 'Message', send: 'Prepare e-mail', required: 'required', invalidEmail: 'not an e-mail address', invalidMid: 'digits only' },
  },
  de: {
    title: 'BillPay',
    status: { preauthorized: 'Nicht aktiviert', activated: 'Aktiviert', cancelled: 'Storniert' },
    total: 'Offener Betrag',
    dueDate: 'Zahlungsziel',
    expires: 'Aktivieren bis',
    daysLeft: (n) => (n === 1 ? 'noch 1 Tag' : `noch ${n} Tage`),
    lastDay: 'letzter Tag',
    warnings: {
      EXPIRES_SOON: 'BillPay kann die Bestellung stornieren, wenn sie nicht bald aktiviert wird.',
      EXPIRED: 'Nicht innerhalb von zwei Monaten aktiviert: BillPay kann die Bestellung storniert haben. Bitte den Händlerservice kontaktieren.',
      NO_DUE_DATE: 'Aktiviert, aber ohne Zahlungsziel: bitte im BillPay-Backoffice prüfen.',
      PAST_DUE: 'Das Zahlungsziel ist überschritten.',
    },
    activate: 'Aktivieren',
    delayDays: 'Verzögerung (Tage)',
    cancel: 'Bestellung stornieren',
    returns: 'Retoure',
    returned: 'zurück',
    of: 'von',
    shippingCredit: 'Versandgutschrift',
    discount: 'Nachlass',
    discountAmount: 'Nachlass (brutto)',
    preview: 'Vorschau',
    confirm: 'Bestätigen',
    back: 'Zurück',
    busy: 'Wird an BillPay gesendet…',
    before: 'Vorher',
    after: 'Nachher',
    credit: 'Gutschrift',
    confirmActivate: (d) => `Jetzt aktivieren? Die Zahlungsfrist beginnt${d === 1 ? ' in 1 Tag' : d > 0 ? ` in ${d} Tagen` : ''}.`,
    confirmCancel: 'Die ganze Bestellung stornieren? Der Kunde erhält den vollen Betrag gutgeschrieben.',
    fullCancel: 'Es bleibt nichts übrig: die Bestellung wird vollständig storniert.',
    done: { activate: 'Aktiviert.', cancel: 'Storniert.', edit: 'Gutgeschrieben.' },
    error: 'BillPay hat abgelehnt',
    failed: 'Nicht ausgeführt',
    advice: {
      unknown: 'BillPay war nicht erreichbar oder hat nicht rechtzeitig geantwortet. Der Auftrag kann trotzdem ausgeführt worden sein: bitte die Bestellung neu laden, bevor Sie es erneut versuchen.',
      ALREADY_ACTIVATED: 'Die Bestellung ist bei BillPay bereits aktiviert oder storniert: bitte neu laden, um ihren Stand zu sehen.',
      STALE_PLAN: 'Die Bestellung hat sich nach dieser Vorschau geändert: bitte neu laden und die Vorschau erneut erstellen.',
    },
    merchant: 'Händlermeldung',
    extension: 'Zahlungszielverlängerung anfragen',
    contact: 'BillPay-Händlerservice kontaktieren',
    form: { name: 'Name', merchantId: 'Händler-ID', email: 'E-Mail', reference: 'Bestellreferenz', customerId: 'Kunden-ID', message: 'Nachricht', send: 'E-Mail vorbereiten', required: 'Pflichtfeld', invalidEmail: 'keine E-Mail-Adresse', invalidMid: 'nur Ziffern' },
  },
  fr: {
    title: 'BillPay',
    status: { preauthorized: 'Non activée', activated: 'Activée', cancelled: 'Annulée' },
    total: 'Montant ouvert',
    dueDate: 'Échéance',
    expires: 'À activer jusqu’au',
    daysLeft: (n) => (n === 1 ? 'encore 1 jour' : `encore ${n} jours`),
    lastDay: 'dernier jour',
    warnings: {
      EXPIRES_SOON: 'BillPay peut annuler cette commande si elle n’est pas activée bientôt.',
      EXPIRED: 'Non activée dans les deux mois : BillPay a peut-être annulé cette commande. Contactez le service marchands de BillPay.',
      NO_DUE_DATE: 'Activée, mais sans échéance connue : vérifiez la commande dans le back-office BillPay.',
      PAST_DUE: 'L’échéance est dépassée.',
    },
    activate: 'Activer',
    delayDays: 'Délai (jours)',
    cancel: 'Annuler la commande',
    returns: 'Retour d’articles',
    returned: 'retourné(s)',
    of: 'sur',
    shippingCredit: 'Avoir sur les frais de port',
    discount: 'Remise',
    discountAmount: 'Remise (TTC)',
    preview: 'Aperçu',
    confirm: 'Confirmer',
    back: 'Retour',
    busy: 'Envoi à BillPay…',
    before: 'Avant',
    after: 'Après',
    credit: 'Avoir',
    confirmActivate: (d) => `Activer maintenant ? Le délai de paiement commence${d === 1 ? ' dans 1 jour' : d > 0 ? ` dans ${d} jours` : ''}.`,
    confirmCancel: 'Annuler toute la commande ? Le client est crédité du montant total.',
    fullCancel: 'Il ne reste rien : la commande sera entièrement annulée.',
    done: { activate: 'Activée.', cancel: 'Annulée.', edit: 'Crédité.' },
    error: 'BillPay a refusé',
    failed: 'Non effectué',
    advice: {
      unknown: 'BillPay n’a pas pu être joint ou n’a pas répondu à temps. La demande a peut-être été exécutée malgré tout : rechargez la commande avant de réessayer.',
      ALREADY_ACTIVATED: 'Cette commande est déjà activée chez BillPay, ou annulée : rechargez-la pour voir son état.',
      STALE_PLAN: 'La commande a changé après cet aperçu : rechargez-la et refaites l’aperçu.',
    },
    merchant: 'Message marchand',
    extension: 'Demander une prolongation du délai de paiement',
    contact: 'Contacter le service marchands de BillPay',
    form: { name: 'Nom', merchantId: 'ID marchand', email: 'E-mail', reference: 'Référence de commande', customerId: 'ID client', message: 'Message', send: 'Préparer l’e-mail', required: 'obligatoire', invalidEmail: 'adresse e-mail invalide', invalidMid: 'chiffres uniquement' },
  },
  it: {
    title: 'BillPay',
    status: { preauthorized: 'Non attivato', activated: 'Attivato', cancelled: 'Annullato' },
    total: 'Importo aperto',
    dueDate: 'Scadenza',
    expires: 'Attivare entro il',
    daysLeft: (n) => (n === 1 ? 'ancora 1 giorno' : `ancora ${n} giorni`),
    lastDay: 'ultimo giorno',
    warnings: {
      EXPIRES_SOON: 'BillPay può annullare questo ordine se non viene attivato a breve.',
      EXPIRED: 'Non attivato entro due mesi: BillPay potrebbe aver annullato questo ordine. Contattare il servizio commercianti di BillPay.',
      NO_DUE_DATE: 'Attivato, ma senza scadenza nota: verificare l’ordine nel back-office di BillPay.',
      PAST_DUE: 'La scadenza è superata.',
    },
    activate: 'Attiva',
    delayDays: 'Dilazione (giorni)',
    cancel: 'Annulla ordine',
    returns: 'Reso articoli',
    returned: 'resi',
    of: 'di',
    shippingCredit: 'Accredito spese di spedizione',
    discount: 'Sconto',
    discountAmount: 'Sconto (lordo)',
    preview: 'Anteprima',
    confirm: 'Conferma',
    back: 'Indietro',
    busy: 'Invio a BillPay…',
    before: 'Prima',
    after: 'Dopo',
    credit: 'Accredito',
    confirmActivate: (d) => `Attivare ora? Il termine di pagamento decorre${d === 1 ? ' tra 1 giorno' : d > 0 ? ` tra ${d} giorni` : ''}.`,
    confirmCancel: 'Annullare l’intero ordine? Al cliente viene accreditato l’importo totale.',
    fullCancel: 'Non rimane nulla: l’ordine verrà annullato per intero.',
    done: { activate: 'Attivato.', cancel: 'Annullato.', edit: 'Accreditato.' },
    error: 'BillPay ha rifiutato',
    failed: 'Non eseguito',
    advice: {
      unknown: 'BillPay non era raggiungibile o non ha risposto in tempo. La richiesta potrebbe essere stata eseguita comunque: ricaricate l’ordine prima di riprovare.',
      ALREADY_ACTIVATED: 'Questo ordine è già attivato presso BillPay, oppure annullato: ricaricatelo per vederne lo stato.',
      STALE_PLAN: 'L’ordine è cambiato dopo questa anteprima: ricaricatelo e rifate l’anteprima.',
    },
    merchant: 'Messaggio per il commerciante',
    extension: 'Richiedi proroga del termine di pagamento',
    contact: 'Contatta il servizio commercianti di BillPay',
    form: { name: 'Nome', merchantId: 'ID commerciante', email: 'E-mail', reference: 'Riferimento ordine', customerId: 'ID cliente', message: 'Messaggio', send: 'Prepara e-mail', required: 'obbligatorio', invalidEmail: 'indirizzo e-mail non valido', invalidMid: 'solo cifre' },
  },
  nl: {
    title: 'BillPay',
    status: { preauthorized: 'Niet geactiveerd', activated: 'Geactiveerd', cancelled: 'Geannuleerd' },
    total: 'Openstaand bedrag',
    dueDate: 'Vervaldatum',
    expires: 'Activeren uiterlijk op',
    daysLeft: (n) => (n === 1 ? 'nog 1 dag' : `nog ${n} dagen`),
    lastDay: 'laatste dag',
    warnings: {
      EXPIRES_SOON: 'BillPay kan deze bestelling annuleren als ze niet snel wordt geactiveerd.',
      EXPIRED: 'Niet binnen twee maanden geactiveerd: BillPay heeft deze bestelling mogelijk geannuleerd. Neem contact op met de merchant service van BillPay.',
      NO_DUE_DATE: 'Geactiveerd, maar zonder bekende vervaldatum: controleer de bestelling in de back-office van BillPay.',
      PAST_DUE: 'De vervaldatum is verstreken.',
    },
    activate: 'Activeren',
    delayDays: 'Uitstel (dagen)',
    cancel: 'Bestelling annuleren',
    returns: 'Artikelen retour',
    returned: 'retour',
    of: 'van',
    shippingCredit: 'Creditering verzendkosten',
    discount: 'Korting',
    discountAmount: 'Korting (bruto)',
    preview: 'Voorbeeld',
    confirm: 'Bevestigen',
    back: 'Terug',
    busy: 'Wordt naar BillPay verzonden…',
    before: 'Voor',
    after: 'Na',
    credit: 'Creditering',
    confirmActivate: (d) => `Nu activeren? De betaaltermijn begint${d === 1 ? ' over 1 dag' : d > 0 ? ` over ${d} dagen` : ''}.`,
    confirmCancel: 'De hele bestelling annuleren? De klant krijgt het volledige bedrag gecrediteerd.',
    fullCancel: 'Er blijft niets over: de bestelling wordt volledig geannuleerd.',
    done: { activate: 'Geactiveerd.', cancel: 'Geannuleerd.', edit: 'Gecrediteerd.' },
    error: 'BillPay heeft geweigerd',
    failed: 'Niet uitgevoerd',
    advice: {
      unknown: 'BillPay was niet bereikbaar of antwoordde niet op tijd. Het verzoek kan toch zijn uitgevoerd: laad de bestelling opnieuw voordat u het nog eens probeert.',
      ALREADY_ACTIVATED: 'Deze bestelling is bij BillPay al geactiveerd of geannuleerd: laad haar opnieuw om de status te zien.',
      STALE_PLAN: 'De bestelling is na dit voorbeeld gewijzigd: laad haar opnieuw en maak een nieuw voorbeeld.',
    },
    merchant: 'Bericht voor de verkoper',
    extension: 'Verlenging van de betaaltermijn aanvragen',
    contact: 'Contact met de merchant service van BillPay',
    form: { name: 'Naam', merchantId: 'Merchant-ID', email: 'E-mail', reference: 'Bestelreferentie', customerId: 'Klant-ID', message: 'Bericht', send: 'E-mail voorbereiden', required: 'verplicht', invalidEmail: 'geen e-mailadres', invalidMid: 'alleen cijfers' },
  },
};

/** createElement with class, text and attributes; children appended. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

let nextId = 0;

export class BillPayOrderPanelElement extends ElementBase {
  static observedAttributes = ['locale', 'today'];

  #order = null;
  #client = null;
  #view = 'overview'; // overview | returns | discount | confirm
  #pending = null; // { kind, plan?, delayDays? }
  #busy = false;
  #notice = null; // { kind: 'error'|'done', text (done: a function of the texts, so that it follows the locale), merchant? }
  #quantities = new Map();
  #shippingCredit = '';
  #discount = '';
  #delayDays = 0;
  /** The invalid order (and its day) last reported with billpay-error. */
  #reported = null;
  /** Renders asked for: only the last of one task draws (as the payment block's). */
  #renders = 0;
  /** What to focus after the next render (a selector), when not the element focused before. */
  #focus = null;
  /** The order the last action made, which the host may hand back (its notice stays). */
  #settled = null;
  /** The contact form: open or not, and what the admin typed, kept across renders. */
  #contact = { open: false, values: {} };
  #id = `billpay-panel-${++nextId}`;
  #ready = null;
  /** The full module's API, once #ready. */
  #api = null;

  get order() {
    return this.#order;
  }

  set order(value) {
    // The order an action just made, handed back by the host (stored from
    // the event): what the panel said about it stays.
    // (A value JSON cannot write, a cycle or a BigInt, is no order handed
    // back: the render says what is wrong with it.)
    let handedBack = false;
    try {
      handedBack = value != null && this.#settled !== null && JSON.stringify(value) === this.#settled;
    } catch {
      handedBack = false;
    }
    this.#order = value ?? null;
    // Nothing typed or said about the last order carries over to this one.
    this.#view = 'overview';
    this.#pending = null;
    if (!handedBack) this.#notice = null;
    this.#settled = null;
    delete this.#contact.values.reference;
    this.#quantities.clear();
    this.#shippingCredit = '';
    this.#discount = '';
    this.#delayDays = 0;
    this.#render();
  }

  get client() {
    return this.#client;
  }

  set client(value) {
    this.#client = value ?? null;
    this.#render();
  }

  get busy() {
    return this.#busy;
  }

  connectedCallback() {
    adoptEarlyProperties(this, ['order', 'client']);
    this.#render();
  }

  attributeChangedCallback() {
    this.#render();
  }

  get #t() {
    return TEXTS[this.getAttribute('locale')] ?? TEXTS.en;
  }

  get #locale() {
    return TEXTS[this.getAttribute('locale')] ? this.getAttribute('locale') : 'en';
  }

  /** An amount of the order's currency as the payment block writes it in the panel's language. */
  #money(amount, currency = this.#order?.currency) {
    return this.#formatted(() => this.#api.formatAmount(amount, currency, this.#locale), `${amount} ${currency}`);
  }

  /** A date as the payment block writes it in the panel's language. */
  #date(date) {
    return this.#formatted(() => this.#api.formatDate(date, this.#locale), date);
  }

  /** A figure as the core formats it; as given where the core refuses it (the panel shows the order's error). */
  #formatted(format, fallback) {
    try {
      return format();
    } catch {
      return fallback;
    }
  }

  #today() {
    return this.getAttribute('today') ?? today();
  }

  #fail(error) {
    const detail = error instanceof BillPayError ? error : new BillPayError('INVALID_INPUT', String(error?.message ?? error));
    // Only an answer from BillPay carries its error code; a check of the
    // panel's own, a network failure or a relay's refusal is no refusal of BillPay's.
    // The core's message of a refusal repeats BillPay's merchant message, which has its own line.
    const repeated = detail.merchantMessage && detail.message === `BillPay answered error ${detail.apiCode}: ${detail.merchantMessage}`;
    this.#notice = { kind: 'error', text: repeated ? '' : detail.message, merchant: detail.merchantMessage, code: detail.apiCode ?? detail.code, errorCode: detail.code, refused: detail.apiCode !== undefined };
    this.dispatchEvent(new CustomEvent('billpay-error', { detail, bubbles: true, composed: true }));
  }

  /**
   * An amount as the admin types it in the panel's language: spaces and
   * apostrophes group thousands (fr, CH), so do commas in English and dots
   * elsewhere when a decimal comma follows ("1.000,00"); a lone comma is
   * the decimal point. What is left goes to the core, which says what is wrong.
   */
  #decimal(text) {
    const typed = text.trim().replace(/[\s\u00a0\u202f'\u2019]/g, '');
    if (this.#locale === 'en') return typed.replace(/,(?=\d{3}(?!\d))/g, '').replace(',', '.');
    return typed.includes(',') ? typed.replace(/\.(?=\d{3}(?!\d))/g, '').replace(',', '.') : typed;
  }

  #plan(kind) {
    const order = this.#order;
    try {
      if (kind === 'return') {
        const items = [...this.#quantities].filter(([, q]) => q > 0).map(([articleId, quantity]) => ({ articleId, quantity }));
        const options = { today: this.#today() };
        if (this.#shippingCredit.trim() !== '') options.shippingCredit = this.#decimal(this.#shippingCredit);
        // "prorate": the shop's discounts are shared over the lines (planReturn's option).
        const rebate = this.getAttribute('rebate');
        if (rebate !== null) options.rebate = rebate;
        return this.#api.planReturn(order, items, options);
      }
      return this.#api.planDiscount(order, this.#decimal(this.#discount), { today: this.#today() });
    } catch (error) {
      this.#fail(error);
      return null;
    }
  }

  #ask(pending) {
    this.#notice = null;
    this.#pending = pending;
    this.#view = 'confirm';
    // The question, not the Confirm button: a second Enter or Space (a key
    // held, pressed twice) must not send what it asks about unread.
    this.#focus = '.billpay-panel__confirm';
    this.#render();
  }

  async #run() {
    if (this.#busy || !this.#pending) return;
    const client = this.#client;
    if (!client) {
      this.#fail(new BillPayError('INVALID_CONFIG', 'set the panel’s client property (a BillPayClient) first'));
      this.#render();
      return;
    }
    const { kind, plan, delayDays } = this.#pending;
    const order = this.#order;
    // The order may have expired since the question was asked (the day
    // changed, or the host's `today`): only what it allows now is sent.
    const refusal = this.#notAllowed(kind, plan, order);
    if (refusal) {
      this.#fail(refusal);
      this.#view = 'overview';
      this.#pending = null;
      this.#render();
      return;
    }
    // Set before the first await: a second click finds the panel busy.
    this.#busy = true;
    this.#notice = null;
    this.#render();
    let outcome;
    try {
      if (kind === 'activate') {
        const amount = this.#api.cartTotals(order.cart).gross;
        const bankAccount = await client.activate({ reference: order.reference, amount, currency: order.currency, delayDays });
        // The payment term starts with a due date (DESIGN.md): an answer
        // without one (a client of the host's own) activates nothing here.
        if (!bankAccount?.dueDate) throw new BillPayError('MISSING_DUE_DATE', `the activation of order ${order.reference} came back without a due date: not marked activated`);
        const activated = { ...order, status: 'activated', activatedAt: this.#today(), bankAccount };
        outcome = { order: activated, text: (t) => t.done.activate, emit: () => this.#emit('billpay-activated', { order: activated, bankAccount }) };
      } else if (kind === 'cancel') {
        const amount = this.#api.cartTotals(order.cart).gross;
        await client.cancel({ reference: order.reference, amount, currency: order.currency });
        const cancelled = { ...order, status: 'cancelled', cart: { articles: [], shipping: { net: '0.00', gross: '0.00' }, rebate: { net: '0.00', gross: '0.00' } } };
        outcome = { order: cancelled, text: (t) => t.done.cancel, emit: () => this.#emit('billpay-cancelled', { order: cancelled }) };
      } else {
        const edited = await client.apply(order, plan);
        const cancelled = plan.action === 'cancel';
        outcome = {
          order: edited,
          text: (t) => (cancelled ? t.done.cancel : `${t.done.edit} ${this.#money(plan.credit, order.currency)}`),
          emit: () => this.#emit(cancelled ? 'billpay-cancelled' : 'billpay-cart-edited', { order: edited, plan }),
        };
      }
    } catch (error) {
      outcome = { error };
    }
    this.#busy = false;
    // The host set another order while this one was under way: that one
    // stays shown, untouched; the events still tell what became of this one.
    const current = this.#order === order;
    if (outcome.error) {
      if (current) {
        this.#fail(outcome.error);
      } else {
        this.#emit('billpay-error', outcome.error instanceof BillPayError ? outcome.error : new BillPayError('INVALID_INPUT', String(outcome.error?.message ?? outcome.error)));
      }
    } else if (current) {
      this.#order = outcome.order;
      this.#settled = JSON.stringify(outcome.order);
      this.#notice = { kind: 'done', text: outcome.text };
      this.#quantities.clear();
      this.#shippingCredit = '';
      this.#discount = '';
      this.#delayDays = 0;
    }
    if (current) {
      this.#view = 'overview';
      this.#pending = null;
    }
    outcome.emit?.();
    this.#render();
  }

  /** Why `kind` may not be sent for `order` today, or nothing. */
  #notAllowed(kind, plan, order) {
    let status;
    try {
      status = this.#api.orderStatus(order, this.#today());
    } catch (error) {
      return error;
    }
    const cancelling = kind === 'cancel' || plan?.action === 'cancel';
    const allowed = kind === 'activate' ? status.canActivate : cancelling ? status.canCancel : status.canEditCart;
    if (allowed) return null;
    const expired = status.warnings.includes('EXPIRED');
    const code = expired ? 'ORDER_EXPIRED' : status.status === 'cancelled' ? 'ORDER_CANCELLED' : 'INVALID_STATUS';
    const state = expired ? `passed its activation deadline (${status.expiresOn})` : `is ${status.status}`;
    const action = kind === 'activate' ? 'activated' : cancelling ? 'cancelled' : 'edited';
    return new BillPayError(code, `order ${order.reference} ${state}: it can no longer be ${action}`);
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  #field(label, input) {
    const id = `${this.#id}-${input.name}`;
    input.id = id;
    return h('div', { class: 'billpay-panel__field' }, h('label', { for: id, text: label }), input);
  }

  async #render() {
    if (!this.isConnected) return;
    const call = ++this.#renders;
    this.#ready ??= loadFullModule().then((api) => {
      this.#api = api;
    });
    try {
      await this.#ready;
    } catch (error) {
      this.#ready = null;
      if (call !== this.#renders) return;
      this.replaceChildren();
      this.#emit('billpay-error', loadError(error));
      return;
    }
    if (!this.isConnected || call !== this.#renders) return;
    const t = this.#t;
    const order = this.#order;
    if (!order) {
      this.replaceChildren();
      return;
    }
    let status;
    let totals;
    try {
      status = this.#api.orderStatus(order, this.#today());
      totals = this.#api.cartTotals(order.cart);
    } catch (error) {
      this.replaceChildren(h('p', { class: 'billpay-panel__error', role: 'alert', text: `${error.code}: ${error.message}` }));
      // Once per order (and day) the host sets, as the payment block does for a bad block.
      if (this.#reported?.order !== order || this.#reported.today !== this.#today()) {
        this.#reported = { order, today: this.#today() };
        this.#emit('billpay-error', error instanceof BillPayError ? error : new BillPayError('INVALID_INPUT', String(error?.message ?? error)));
      }
      return;
    }
    const busy = this.#busy;
    // A cancelled order owes nothing and has no due date; past its deadline
    // no day is left to count, and on its last day the count is "last day".
    const cancelled = order.status === 'cancelled';
    const left = status.warnings.includes('EXPIRED') ? '' : ` (${status.daysLeft === 0 ? t.lastDay : t.daysLeft(status.daysLeft)})`;
    const rows = [
      [t.total, this.#money(cancelled ? '0.00' : totals.gross)],
      order.bankAccount?.dueDate && !cancelled ? [t.dueDate, this.#date(order.bankAccount.dueDate)] : null,
      status.expiresOn ? [t.expires, `${this.#date(status.expiresOn)}${left}`] : null,
    ].filter(Boolean);
    const summary = h(
      'dl',
      { class: 'billpay-panel__summary' },
      rows.map(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]),
    );
    const header = h(
      'header',
      { class: 'billpay-panel__header' },
      h('h2', { text: `${t.title} · ${order.reference}` }),
      h('span', { class: `billpay-panel__status billpay-panel__status--${status.status}`, text: t.status[status.status] }),
    );
    const warnings = status.warnings.map((w) => h('p', { class: 'billpay-panel__warning', role: 'note', text: t.warnings[w] ?? w }));
    const notice = this.#notice
      ? h(
          'div',
          { class: `billpay-panel__${this.#notice.kind}`, role: this.#notice.kind === 'error' ? 'alert' : 'status', tabindex: -1 },
          h('p', { text: this.#notice.kind === 'error' ? `${this.#notice.refused ? t.error : t.failed} (${this.#notice.code})${this.#notice.text ? `: ${this.#notice.text}` : ''}` : this.#notice.text(t) }),
          this.#notice.merchant ? h('p', { class: 'billpay-panel__merchant-message', text: `${t.merchant}: ${this.#notice.merchant}` }) : null,
          this.#notice.kind === 'error' && adviceOf(t, this.#notice.errorCode) ? h('p', { class: 'billpay-panel__advice', text: adviceOf(t, this.#notice.errorCode) }) : null,
        )
      : null;
    const busyLine = busy ? h('p', { class: 'billpay-panel__busy', role: 'status', tabindex: -1, text: t.busy }) : null;

    let body;
    if (this.#view === 'confirm' && this.#pending) {
      body = this.#confirmView(t, busy);
    } else if (this.#view === 'returns') {
      body = this.#returnsView(t, order, busy);
    } else if (this.#view === 'discount') {
      body = this.#discountView(t, busy);
    } else {
      body = this.#actionsView(t, status, busy);
    }
    // Focus inside the panel stays where it was when that element is drawn
    // again (a field, a button, the contact form), else goes to what the
    // change brought: the notice, the busy line, the view's first field.
    const focused = this.getRootNode().activeElement;
    const before = focused && this.contains(focused) ? focusKey(focused) : null;
    // Where the caret was in a text field: a redraw (a locale, a client or
    // an answer set meanwhile) must not move it while the admin types.
    let caret = null;
    try {
      if (before !== null && typeof focused.selectionStart === 'number') caret = [focused.selectionStart, focused.selectionEnd];
    } catch {
      caret = null;
    }
    this.replaceChildren(
      // The language it speaks (an invalid locale falls back to English), for screen readers.
      h('section', { class: 'billpay-panel', lang: this.#locale, 'aria-busy': busy ? 'true' : 'false', 'aria-labelledby': `${this.#id}-title` }, header, summary, warnings, notice, busyLine, body, this.#serviceView(t, order)),
    );
    this.querySelector('h2').id = `${this.#id}-title`;
    const wanted = this.#focus ?? before;
    this.#focus = null;
    if (wanted !== null) {
      const again = wanted && this.querySelector(wanted);
      const next = again && !again.disabled ? again : this.querySelector('[tabindex="-1"], form.billpay-panel__form input, button:not([disabled])');
      next?.focus();
      if (caret && next === again && wanted === before && typeof next.setSelectionRange === 'function') {
        try {
          next.setSelectionRange(...caret);
        } catch {
          // Not a field with a caret (a number field in some browsers).
        }
      }
    }
  }

  #actionsView(t, status, busy) {
    const delay = h('input', { name: 'delay', type: 'number', min: 0, max: 365, inputmode: 'numeric', value: this.#delayDays, disabled: busy || !status.canActivate });
    // BillPay takes 0 to 365 days (the client refuses more): the confirmation says what is sent.
    delay.addEventListener('input', () => (this.#delayDays = Math.min(365, Math.max(0, Math.trunc(Number(delay.value) || 0)))));
    return h(
      'div',
      { class: 'billpay-panel__actions' },
      status.canActivate
        ? h('div', { class: 'billpay-panel__activate' }, this.#field(t.delayDays, delay), h('button', { type: 'button', class: 'billpay-panel__primary', 'data-action': 'activate', disabled: busy, onclick: () => this.#ask({ kind: 'activate', delayDays: this.#delayDays }) }, t.activate))
        : null,
      status.canEditCart ? h('button', { type: 'button', 'data-action': 'returns', disabled: busy, onclick: () => ((this.#view = 'returns'), (this.#notice = null), this.#render()) }, t.returns) : null,
      status.canEditCart ? h('button', { type: 'button', 'data-action': 'discount', disabled: busy, onclick: () => ((this.#view = 'discount'), (this.#notice = null), this.#render()) }, t.discount) : null,
      status.canCancel ? h('button', { type: 'button', class: 'billpay-panel__danger', 'data-action': 'cancel', disabled: busy, onclick: () => this.#ask({ kind: 'cancel' }) }, t.cancel) : null,
    );
  }

  #returnsView(t, order, busy) {
    const lines = order.cart.articles.map((article) => {
      const input = h('input', { name: `qty-${article.articleId}`, type: 'number', min: 0, max: article.quantity, inputmode: 'numeric', value: this.#quantities.get(article.articleId) ?? 0, disabled: busy });
      input.addEventListener('input', () => this.#quantities.set(article.articleId, Math.max(0, Math.trunc(Number(input.value) || 0))));
      return this.#field(`${article.name} — ${t.returned} (${t.of} ${article.quantity})`, input);
    });
    const credit = h('input', { name: 'shipping-credit', inputmode: 'decimal', placeholder: '0.00', value: this.#shippingCredit, disabled: busy });
    credit.addEventListener('input', () => (this.#shippingCredit = credit.value));
    return h(
      'form',
      { class: 'billpay-panel__form', onsubmit: (event) => {
        event.preventDefault();
        const plan = this.#plan('return');
        if (plan) this.#ask({ kind: 'edit', plan });
        else this.#render();
      } },
      h('fieldset', {}, h('legend', { text: t.returns }), lines, this.#field(`${t.shippingCredit} (${order.currency})`, credit)),
      h('button', { type: 'submit', class: 'billpay-panel__primary', disabled: busy }, t.preview),
      h('button', { type: 'button', 'data-action': 'back', disabled: busy, onclick: () => ((this.#view = 'overview'), (this.#notice = null), this.#render()) }, t.back),
    );
  }

  #discountView(t, busy) {
    const amount = h('input', { name: 'discount', inputmode: 'decimal', placeholder: '0.00', required: true, value: this.#discount, disabled: busy });
    amount.addEventListener('input', () => (this.#discount = amount.value));
    return h(
      'form',
      { class: 'billpay-panel__form', onsubmit: (event) => {
        event.preventDefault();
        const plan = this.#plan('discount');
        if (plan) this.#ask({ kind: 'edit', plan });
        else this.#render();
      } },
      h('fieldset', {}, h('legend', { text: t.discount }), this.#field(`${t.discountAmount} (${this.#order.currency})`, amount)),
      h('button', { type: 'submit', class: 'billpay-panel__primary', disabled: busy }, t.preview),
      h('button', { type: 'button', 'data-action': 'back', disabled: busy, onclick: () => ((this.#view = 'overview'), (this.#notice = null), this.#render()) }, t.back),
    );
  }

  #confirmView(t, busy) {
    const { kind, plan, delayDays } = this.#pending;
    let question;
    let preview = null;
    const figures = (before, after, credit) =>
      h(
        'dl',
        { class: 'billpay-panel__preview' },
        [[t.before, before], [t.after, after], [t.credit, credit]].map(([term, value]) => [h('dt', { text: term }), h('dd', { text: this.#money(value) })]),
      );
    if (kind === 'activate') question = t.confirmActivate(delayDays ?? 0);
    else if (kind === 'cancel') {
      question = t.confirmCancel;
      const total = safeTotal(this.#api, this.#order);
      preview = figures(total, '0.00', total);
    } else {
      question = plan.action === 'cancel' ? t.fullCancel : '';
      preview = figures(plan.before, plan.after, plan.credit);
    }
    const back = () => {
      this.#view = 'overview';
      this.#pending = null;
      this.#notice = null;
      this.#render();
    };
    return h(
      'div',
      // Esc leaves the question as Back does (not while BillPay is asked).
      { class: 'billpay-panel__confirm', role: 'group', tabindex: '-1', 'aria-label': question || t.confirm, onkeydown: (event) => event.key === 'Escape' && !this.#busy && back() },
      question ? h('p', { text: question }) : null,
      preview,
      // A click that is the second of a double click (detail 2) began on the
      // button this question replaced: it neither confirms nor goes back.
      h('button', { type: 'button', class: kind === 'cancel' || plan?.action === 'cancel' ? 'billpay-panel__danger' : 'billpay-panel__primary', 'data-action': 'confirm', disabled: busy, onclick: (event) => event.detail > 1 || this.#run() }, t.confirm),
      h('button', { type: 'button', disabled: busy, onclick: (event) => event.detail > 1 || back() }, t.back),
    );
  }

  #serviceView(t, order) {
    const language = this.#locale === 'de' ? 'de' : 'en';
    const mail = MAIL[language];
    const lines = [
      `${mail.reference}: ${order.reference}`,
      order.bankAccount?.invoiceReference ? `${mail.paymentReference}: ${order.bankAccount.invoiceReference}` : null,
      `${mail.amount}: ${this.#formatted(() => this.#api.formatAmount(safeTotal(this.#api, order), order.currency, language), `${safeTotal(this.#api, order)} ${order.currency}`)}`,
      order.bankAccount?.dueDate ? `${mail.dueDate}: ${this.#formatted(() => this.#api.formatDate(order.bankAccount.dueDate, language), order.bankAccount.dueDate)}` : null,
      `${mail.days}: `,
      `${mail.reason}: `,
    ].filter(Boolean);
    const extension = `mailto:${MERCHANT_SERVICE}?subject=${encodeURIComponent(mail.extensionSubject(order.reference))}&body=${encodeURIComponent(lines.join('\n'))}`;
    const fields = {
      name: h('input', { name: 'name', autocomplete: 'name' }),
      merchantId: h('input', { name: 'merchant-id', inputmode: 'numeric', required: true }),
      email: h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true }),
      reference: h('input', { name: 'reference', value: order.reference }),
      customerId: h('input', { name: 'customer-id' }),
      message: h('textarea', { name: 'message', rows: 3, required: true }),
    };
    // What was typed survives redraws (a locale switch, an answer from BillPay).
    for (const [key, input] of Object.entries(fields)) {
      input.value = this.#contact.values[key] ?? input.value;
      input.addEventListener('input', () => (this.#contact.values[key] = input.value));
    }
    const errors = h('ul', { class: 'billpay-panel__form-errors', role: 'alert' });
    const contact = h(
      'form',
      { class: 'billpay-panel__contact', novalidate: true, onsubmit: (event) => {
        event.preventDefault();
        const problems = [];
        const value = (k) => fields[k].value.trim();
        if (!value('merchantId')) problems.push(`${t.form.merchantId}: ${t.form.required}`);
        else if (!/^\d+$/.test(value('merchantId'))) problems.push(`${t.form.merchantId}: ${t.form.invalidMid}`);
        if (!value('email')) problems.push(`${t.form.email}: ${t.form.required}`);
        else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value('email'))) problems.push(`${t.form.email}: ${t.form.invalidEmail}`);
        if (!value('message')) problems.push(`${t.form.message}: ${t.form.required}`);
        for (const [key, input] of Object.entries(fields)) input.setAttribute('aria-invalid', problems.some((p) => p.startsWith(t.form[key])) ? 'true' : 'false');
        errors.replaceChildren(...problems.map((p) => h('li', { text: p })));
        if (problems.length) return;
        const labels = TEXTS[language].form;
        const body = Object.keys(fields).map((k) => `${labels[k]}: ${value(k)}`).join('\n');
        const href = `mailto:${MERCHANT_SERVICE}?subject=${encodeURIComponent(mail.questionSubject(value('merchantId')))}&body=${encodeURIComponent(body)}`;
        this.dispatchEvent(new CustomEvent('billpay-contact', { detail: { href }, bubbles: true, composed: true }));
        contact.dataset.href = href;
        window.location.href = href;
      } },
      this.#field(t.form.name, fields.name),
      this.#field(`${t.form.merchantId} *`, fields.merchantId),
      this.#field(`${t.form.email} *`, fields.email),
      this.#field(t.form.reference, fields.reference),
      this.#field(t.form.customerId, fields.customerId),
      this.#field(`${t.form.message} *`, fields.message),
      errors,
      h('button', { type: 'submit' }, t.form.send),
    );
    const details = h(
      'details',
      { class: 'billpay-panel__service', open: this.#contact.open },
      h('summary', { text: t.contact }),
      // A cancelled order has no payment term to extend.
      order.status === 'cancelled' ? null : h('p', {}, h('a', { href: extension, class: 'billpay-panel__extension' }, t.extension)),
      contact,
    );
    details.addEventListener('toggle', () => (this.#contact.open = details.open));
    return details;
  }
}

/** A selector that finds `element` again in the next drawing, or '' for none. */
function focusKey(element) {
  if (element.name) return `[name="${CSS.escape(element.name)}"]`;
  if (element.dataset?.action) return `[data-action="${CSS.escape(element.dataset.action)}"]`;
  if (element.tagName === 'SUMMARY') return 'summary';
  return '';
}

function safeTotal(api, order) {
  try {
    return api.cartTotals(order.cart).gross;
  } catch {
    return '';
  }
}

if (globalThis.customElements && !customElements.get('billpay-order-panel')) {
  customElements.define('billpay-order-panel', BillPayOrderPanelElement);
}
