#!/usr/bin/env python3
"""End-to-end journeys in headless Chromium (Debian's chromium and chromium-driver,
driven by selenium from PyPI) against a running service with the demo data.

Usage: journeys.py BASE_URL SCREENSHOT_FOLDER

A visitor searches vacancies and opens one; an HR adviser posts a vacancy; a
professional applies to it, enrols for a course, leaves and re-joins the flexpool
with availability; the HR adviser moves the application, which the professional
then sees; a coordinator runs the matching; the professional accepts a proposed
shift (or, when the matching proposed none to them, claims an open one); the
coordinator confirms the rest. Each step checks what the page shows; a screenshot of
each main page goes to SCREENSHOT_FOLDER. Exits 1 on the first failed check.
"""
import base64
import datetime
import glob
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import time
import traceback
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = sys.argv[1].rstrip("/")
SHOTS = sys.argv[2]
os.makedirs(SHOTS, exist_ok=True)

options = Options()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=nl-NL"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
driver.set_page_load_timeout(60)

steps = 0
shots = 0


class Failed(Exception):
    pass


SOFT = os.environ.get("JOURNEYS_SOFT") == "1"  # while fixing: report every failure, go on


def check(condition, what):
    global steps
    steps += 1
    if not condition and SOFT:
        print(f"  FAIL {what}", flush=True)
        return
    if not condition:
        shot("failed")
        raise Failed(f"{what} (at {driver.current_url})")
    print(f"  ok  {what}", flush=True)


def go(path):
    driver.get(BASE + path)


def shot(name):
    global shots
    shots += 1
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 6000)")
    driver.set_window_size(1280, max(900, height))
    driver.save_screenshot(os.path.join(SHOTS, f"{shots:02d}-{name}.png"))
    driver.set_window_size(1280, 1400)


def settled(read):
    """Reads from the page once it has loaded; a read that races the end of a
    navigation (a stale node, "does not belong to the document") is tried again."""
    for attempt in range(20):
        try:
            loaded()
            return read()
        except (StaleElementReferenceException, WebDriverException) as error:
            if attempt == 19 or not retryable(error):
                raise
            time.sleep(0.25)


def retryable(error):
    return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error) or "stale element" in str(error)


def text():
    return settled(lambda: driver.find_element(By.TAG_NAME, "body").text)


def h1():
    return settled(lambda: driver.find_element(By.TAG_NAME, "h1").text)


def fill(name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def set_date(name, value):
    # Date and time inputs take their value most reliably through script.
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, name), value)


def submitting(action):
    """Runs `action` (a click or Enter that submits a form) and waits for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(driver, 30).until(lambda _: replaced(page))
    loaded()


def replaced(element):
    """Whether `element` has left the document. Chromedriver says so either as a
    stale element or, when the node is asked about as the next document arrives, as
    "does not belong to the document" (which selenium's staleness_of does not catch)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException as error:
        if retryable(error):
            return True
        raise


def loaded():
    """Waits until the current document has finished loading (a script that runs
    while the next document replaces this one fails and is simply tried again)."""
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def press(label, within=None):
    scope = within or driver
    buttons = [b for b in scope.find_elements(By.TAG_NAME, "button") if b.text.strip().startswith(label)]
    check(len(buttons) > 0, f"a button '{label}' is on the page")
    submitting(buttons[0].click)


def click(element):
    submitting(element.click)


TWO_STEP = {}


def totp(secret, step):
    """The code an authenticator app shows for a base32 secret at a time step (RFC 6238, SHA-1, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", step)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def login(email, password="doorstroom-demo"):
    driver.delete_all_cookies()
    go("/login")
    fill("email", email)
    fill("password", password)
    submitting(lambda: driver.find_element(By.NAME, "password").send_keys(Keys.ENTER))
    if "/login/tweestaps" in driver.current_url:
        # An admin sets two-step verification up first, reading the key as an app would.
        secret = driver.find_element(By.ID, "sleutel").get_attribute("data-secret")
        step = int(time.time()) // 30
        TWO_STEP[email] = [secret, step]
        fill("code", totp(secret, step))
        press("Inschakelen")
        check(len(driver.find_elements(By.CSS_SELECTOR, "ul.recovery-codes li")) == 10, "two-step verification is on, with ten recovery codes")
        click(driver.find_element(By.LINK_TEXT, "Ik heb ze bewaard, ga verder"))
    elif "/login/code" in driver.current_url:
        # A code is accepted once: the current step's, or the next one if that was used.
        TWO_STEP[email][1] = max(int(time.time()) // 30, TWO_STEP[email][1] + 1)
        fill("code", totp(TWO_STEP[email][0], TWO_STEP[email][1]))
        press("Inloggen")
    check("Uitloggen" in text(), f"{email} is logged in")


def outbox_link(email, subject_part):
    """The link of the newest account mail to `email` whose subject has `subject_part`,
    as the mail carries it (the outbox is the notification table)."""
    sql = ("SELECT n.link FROM notification n JOIN account a ON a.id = n.account_id "
           f"WHERE lower(a.email) = lower('{email}') AND n.kind = 'account_mail' AND n.subject LIKE '%{subject_part}%' "
           "ORDER BY n.created_at DESC LIMIT 1")
    out = subprocess.run(["psql", os.environ["DATABASE_URL"], "-Atc", sql], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def job_seeker_signs_up_and_applies(title, email, password):
    print("# A job seeker registers, confirms her address through the mail and applies", flush=True)
    driver.delete_all_cookies()
    go("/vacatures?q=" + title.split()[-1])
    click(driver.find_element(By.LINK_TEXT, title))
    click(driver.find_element(By.LINK_TEXT, "Maak er een aan"))
    check(h1() == "Account aanmaken", "the posting leads to the sign-up page")
    driver.find_element(By.CSS_SELECTOR, "input[name=kind][value=werkzoekende]").click()
    fill("displayName", "Noor Werkzoekend")
    fill("email", email)
    fill("password", "1234567890")
    press("Account aanmaken")
    check("veelgebruikte wachtwoorden" in text() or "minstens 12 tekens" in text(), "a common password is refused with a reason")
    fill("password", password)
    shot("registreren")
    press("Account aanmaken")
    check(h1() == "Kijk in je mail", "the sign-up asks her to confirm through the mail")
    login(email, password)
    go("/vacatures?q=" + title.split()[-1])
    click(driver.find_element(By.LINK_TEXT, title))
    check("Bevestig eerst je e-mailadres" in text(), "before confirming she sees why she cannot apply yet")
    link = outbox_link(email, "Bevestig")
    check(link.startswith("/bevestigen/"), "the confirmation mail carries its link")
    go(link)
    check(h1() == "Je e-mailadres is bevestigd", "the link confirms the address")
    go(link)
    check(h1() == "Deze link werkt niet", "the link works once")
    go("/vacatures?q=" + title.split()[-1])
    click(driver.find_element(By.LINK_TEXT, title))
    fill("motivation", "Ik kom uit het onderwijs en wil graag de jeugdhulp in.")
    press("Verstuur")
    go("/mijn/sollicitaties")
    check(title in text(), "her application shows on Mijn sollicitaties")


def job_seeker_saves_a_search_and_a_posting(title, email, password):
    print("# The job seeker saves her search as a weekly alert, and saves a posting", flush=True)
    login(email, password)
    word = title.split()[-1]
    go("/vacatures?q=" + word)
    check(len(driver.find_elements(By.CSS_SELECTOR, "form.save-search")) == 1, "a search can be saved under the results")
    press("Zoekopdracht bewaren")
    check(h1() == "Vacaturealerts" and word.lower() in text().lower(), "the search shows as an alert")
    check("wekelijks" in text(), "weekly unless chosen otherwise")
    shot("vacaturealerts")
    go("/vacatures?q=" + word)
    click(driver.find_element(By.LINK_TEXT, title))
    press("Bewaren")
    check("Niet meer bewaren" in text() and "Bewaard." in text(), "the posting is saved and says so")
    go("/mijn/bewaard")
    check(title in text(), "the saved posting shows on Bewaarde vacatures")
    shot("bewaard")


def someone_resets_a_forgotten_password(email, password):
    print("# She forgets her password and sets a new one through the mailed link", flush=True)
    driver.delete_all_cookies()
    go("/login")
    click(driver.find_element(By.LINK_TEXT, "Wachtwoord vergeten?"))
    fill("email", email)
    press("Stuur de link")
    check(h1() == "Kijk in je mail", "the page says the same for every address")
    link = outbox_link(email, "nieuw wachtwoord")
    check(link.startswith("/wachtwoord-herstellen/"), "the reset mail carries its link")
    go(link)
    new = password + " en nog wat"
    fill("password", new)
    fill("confirm", new)
    shot("wachtwoord-herstellen")
    press("Wachtwoord opslaan")
    check(h1() == "Je wachtwoord is gewijzigd", "the new password is saved")
    login(email, new)


AXE_SOURCE = None


def axe_violations():
    """axe-core (4.x, bundled by the axe-playwright-python package) on the current page:
    the serious and critical violations."""
    global AXE_SOURCE
    if AXE_SOURCE is None:
        import axe_playwright_python
        AXE_SOURCE = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")).read()
    driver.execute_script(AXE_SOURCE)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
    return [v for v in json.loads(result) if v.get("impact") in ("serious", "critical")]


SIZES = [("telefoon", 390, 844), ("bureau", 1366, 900)]


def every_page_fits(who, pages):
    """Each page of a role at phone and desk size: no sideways scroll, every button
    inside the window, a screenshot of each, and no serious axe-core violation."""
    print(f"# Every page of {who} at 390 and 1366 px, with axe-core", flush=True)
    for path in pages:
        go(path)
        loaded()
        page_fits(who, path)
    driver.set_window_size(1280, 1400)


def page_fits(who, path):
    """The current page at each size: no sideways scroll, every button inside, a
    screenshot, and no serious axe-core violation."""
    global shots
    for name, width, height in SIZES:
        driver.set_window_size(width, height)
        inner, scroll = driver.execute_script("return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        check(scroll <= inner, f"{path} at {width} px: no sideways scroll ({scroll} <= {inner})")
        outside = driver.execute_script(
            "return [...document.querySelectorAll('main button, main a.button')].filter(b => b.offsetParent !== null)"
            ".filter(b => b.getBoundingClientRect().right > window.innerWidth + 1).map(b => b.textContent.trim()).slice(0, 3)")
        check(not outside, f"{path} at {width} px: every button inside the window {outside}")
        shots += 1
        driver.save_screenshot(os.path.join(SHOTS, f"{shots:02d}-{who}-{path.strip('/').replace('/', '-') or 'home'}-{name}.png"))
    violations = axe_violations()
    check(not violations, f"{path}: no serious or critical axe-core violation "
          + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}x, {v['nodes'][0]['target'] if v['nodes'] else ''})" for v in violations[:3]))


def sweep():
    driver.delete_all_cookies()
    go("/vacatures")
    posting = driver.find_element(By.CSS_SELECTOR, "ol.results li h2 a").get_attribute("href").replace(BASE, "")
    go("/academie")
    course = driver.find_element(By.CSS_SELECTOR, "main a[href^='/academie/']").get_attribute("href").replace(BASE, "")
    every_page_fits("bezoeker", ["/", "/vacatures", posting, "/academie", course, "/academie/formaat", "/ontmoetingen", "/login", "/registreren", "/wachtwoord-vergeten",
                                 "/certificaat", "/certificaat/0000-0000-0000",
                                 "/wachtwoord-herstellen/een-link-die-niet-bestaat-xyz",
                                 "/vacatures?q=jeugdhulpverlner+amsterdam"])
    login("professional@doorstroom.test")
    every_page_fits("professional", ["/mijn", "/vacatures", posting, "/mijn/sollicitaties", "/mijn/profiel", "/mijn/loopbaan", "/mijn/roulatie",
                                     "/academie", course, "/mijn/ontwikkeling", "/ontmoetingen", "/mijn/diensten", "/flexpool",
                                     "/mijn/berichten", "/mijn/account", "/mijn/account/tweestaps", "/mijn/gegevens", "/flexpool/beschikbaarheid",
                                     "/mijn/bewaard", "/mijn/vacaturealerts", "/academie/wensen", "/intervisie",
                                     "/mijn/loopbaangesprek"])
    # A confirmation page (nothing is confirmed here).
    go("/flexpool")
    press("Uit de flexpool stappen")
    check(h1() == "Uit de flexpool stappen?", "leaving the pool asks first")
    page_fits("professional", "/flexpool/verlaten")
    driver.set_window_size(1280, 1400)
    login("student@doorstroom.test")
    every_page_fits("student", ["/mijn", "/mijn/sollicitaties", posting, "/mijn/school"])
    login("loopbaan@doorstroom.test")
    every_page_fits("loopbaanadviseur", ["/mijn", "/beheer/loopbaangesprekken"])
    login("stage@hva.doorstroom.test")
    every_page_fits("school", ["/mijn", "/school"])
    login("hr@altra.doorstroom.test")
    every_page_fits("hr", ["/mijn", "/beheer/vacatures", "/beheer/vacatures/nieuw", "/beheer/sollicitaties", "/beheer/stageafspraken", "/beheer/vog", "/beheer/intervisie", "/beheer/afwijzingsbericht",
                           "/beheer/profielen", "/beheer/roulaties", "/beheer/uitnodigingen", "/beheer/api-tokens", "/beheer/cursussen",
                           "/beheer/ontmoetingen", "/monitor", "/beheer/cursussen/nieuw", "/beheer/cursussen?afgelopen=1"])
    go("/beheer/cursussen")
    own_course = driver.find_element(By.CSS_SELECTOR, "main a[href^='/beheer/cursussen/cursus/']").get_attribute("href").replace(BASE, "")
    go("/beheer/sollicitaties")
    application = driver.find_element(By.CSS_SELECTOR, "li.card a").get_attribute("href").replace(BASE, "")
    every_page_fits("hr", [own_course, own_course + "/uitvoeringen/nieuw", application])
    login("coordinator@doorstroom.test")
    every_page_fits("coordinator", ["/mijn", "/flexpool/coordinatie", "/flexpool/coordinatie?weken=2&gaten=1", "/flexpool/coordinatie/locaties", "/flexpool/coordinatie/inwerken", "/flexpool/coordinatie/wat-als",
                                    "/flexpool/coordinatie/vraag", "/monitor"])
    go("/flexpool/coordinatie?weken=4")
    people = driver.find_element(By.CSS_SELECTOR, "main a[href$='/mensen']").get_attribute("href").replace(BASE, "")
    every_page_fits("coordinator", [people])
    login("admin@doorstroom.test")
    every_page_fits("admin", ["/mijn", "/beheer/organisaties", "/beheer/accounts", "/beheer/loopbaanpaden", "/beheer/importlog",
                              "/beheer/salarisschalen", "/monitor"])


def visitor():
    print("# A visitor searches vacancies and opens one", flush=True)
    driver.delete_all_cookies()
    go("/")
    shot("home")
    go("/vacatures")
    check(h1() != "", "the vacancy bank opens")
    box = driver.find_element(By.NAME, "q")
    box.send_keys("leefgroep")
    submitting(lambda: box.send_keys(Keys.ENTER))
    check("q=leefgroep" in driver.current_url, "the search is in the address")
    results = driver.find_elements(By.CSS_SELECTOR, "ol.results li h2 a")
    check(len(results) > 0, f"the search finds postings ({len(results)} on the page)")
    shot("vacatures-search")
    title = results[0].text
    click(results[0])
    check(h1() == title, f"the posting opens with its title '{title}'")
    check(len(driver.find_elements(By.CSS_SELECTOR, 'script[type="application/ld+json"]')) == 1, "the posting page carries JSON-LD")
    shot("vacature")
    print("# She misspells a word: the page offers the word the postings use", flush=True)
    go("/vacatures")
    box = driver.find_element(By.NAME, "q")
    box.send_keys("jeugdhulpverlner")
    submitting(lambda: box.send_keys(Keys.ENTER))
    check("0 resultaten" in text() and "Bedoelde je" in text(), "a typo finds nothing and offers a correction")
    shot("vacatures-bedoelde-je")
    click(driver.find_element(By.LINK_TEXT, "jeugdhulpverlener"))
    found = driver.find_elements(By.CSS_SELECTOR, "ol.results li h2 a")
    check("q=jeugdhulpverlener" in driver.current_url and len(found) > 0, f"the correction finds postings ({len(found)})")
    go("/vacatures?q=coach")
    titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ol.results li h2 a")]
    check(any("Gezinscoach" in t for t in titles), f"'coach' finds the compound 'Gezinscoach' ({titles[:3]})")


def hr_posts(title):
    print("# An HR adviser posts a vacancy", flush=True)
    login("hr@altra.doorstroom.test")
    go("/beheer/vacatures")
    shot("hr-vacatures")
    go("/beheer/vacatures/nieuw")
    Select(driver.find_element(By.NAME, "kind")).select_by_value("vacancy")
    fill("title", title)
    Select(driver.find_element(By.NAME, "municipality")).select_by_value("amsterdam")
    fill("description", "Je begeleidt jongeren in een leefgroep in Oost. Gemaakt door de browsertest.")
    shot("hr-vacature-nieuw")
    press("Opslaan")
    check("gelukt=opgeslagen" in driver.current_url, "the draft is saved")
    press("Publiceren")
    driver.delete_all_cookies()
    go("/vacatures?q=" + title.split()[-1])
    titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ol.results li h2 a")]
    check(title in titles, "the published vacancy is found by a visitor")


def professional_applies(title):
    print("# A professional applies", flush=True)
    login("professional@doorstroom.test")
    go("/vacatures?q=" + title.split()[-1])
    click(driver.find_element(By.LINK_TEXT, title))
    fill("motivation", "Ik werk graag met jongeren en wil verder groeien in de jeugdhulp.")
    press("Verstuur")
    go("/mijn/sollicitaties")
    check(title in text(), "the application shows on Mijn sollicitaties")
    shot("mijn-sollicitaties")


def professional_enrols():
    print("# The professional enrols for a course", flush=True)
    go("/academie")
    shot("academie")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "h2 a") if "/academie/" in (a.get_attribute("href") or "")]
    check(len(links) > 0, f"the academy lists courses ({len(links)})")
    for link in links:
        driver.get(link)
        buttons = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Inschrijven"]
        if buttons:
            name = h1()
            shot("cursus")
            click(buttons[0])
            go("/mijn/ontwikkeling")
            check(name in text(), f"the enrolment for '{name}' shows on Mijn ontwikkeling")
            shot("mijn-ontwikkeling")
            return
    check(False, "a course on the first page has a place to enrol in")


def professional_joins_pool():
    print("# The professional (re)joins the flexpool and gives availability", flush=True)
    go("/flexpool")
    if [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.startswith("Uit de flexpool stappen")]:
        press("Uit de flexpool stappen")
        check(h1() == "Uit de flexpool stappen?", "leaving the pool asks first, saying what will happen")
        press("Ja, stap uit de flexpool")
    go("/flexpool/lid")
    for name in ("functions", "areas"):
        for box in driver.find_elements(By.NAME, name):
            if not box.is_selected():
                box.click()
    fill("weekly_cap", "32")
    shot("flexpool-lid")
    press("Meedoen")
    go("/flexpool/beschikbaarheid")
    # The service's days are Amsterdam's (near midnight UTC they differ).
    today = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    set_date("from_day", today.isoformat())
    set_date("from_time", "00:00")
    set_date("until_day", (today + datetime.timedelta(days=28)).isoformat())
    set_date("until_time", "00:00")
    press("Toevoegen")
    check("weekpatroon" in text() or today.strftime("%d") in text(), "the availability is listed")
    shot("flexpool-beschikbaarheid")
    go("/flexpool")
    check("Uit de flexpool stappen" in text(), "the professional is in the pool")
    shot("flexpool")


def hr_moves_application(title):
    print("# The HR adviser hears of the application and moves it through the pipeline", flush=True)
    login("hr@altra.doorstroom.test")
    go("/mijn/berichten")
    check(f'Nieuwe sollicitatie op "{title}"' in text(), "the HR adviser's inbox tells of the new application")
    go("/beheer/sollicitaties")
    cards = [c for c in driver.find_elements(By.CSS_SELECTOR, "#stand-submitted ~ ul li.card") if title in c.text]
    check(len(cards) == 1, "the new application is in the pipeline's 'Ingediend' column")
    check("nieuw" in cards[0].text, "it is marked new")
    shot("hr-sollicitaties")
    Select(driver.find_element(By.NAME, "vacature")).select_by_visible_text(f"{title} (gepubliceerd)")
    press("Tonen")
    counts = driver.find_element(By.CSS_SELECTOR, "nav.pipeline-counts").text
    check("Ingediend 1" in counts and "Alle 1" in counts, f"the pipeline of that posting counts one submitted application ({counts})")
    click(driver.find_element(By.CSS_SELECTOR, "li.card a"))
    Select(driver.find_element(By.NAME, "status")).select_by_value("invited")
    shot("hr-sollicitatie")
    press("Bijwerken")
    check("Uitgenodigd" in text(), "the application is now invited")
    login("professional@doorstroom.test")
    go("/mijn/sollicitaties")
    row = [line for line in text().splitlines() if title in line and not line.startswith("Gesprek over")]
    check(len(row) == 1 and "Uitgenodigd" in row[0], f"the professional sees the invitation ({row})")


def candidate_books_an_interview(title):
    print("# HR puts interview times on the posting; the candidate books one", flush=True)
    login("hr@altra.doorstroom.test")
    application = subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-Atc",
         "SELECT a.id FROM application a JOIN posting p ON p.id = a.posting_id JOIN account acc ON acc.id = a.applicant_id "
         f"WHERE p.title = '{title}' AND acc.email = 'professional@doorstroom.test'"],
        capture_output=True, text=True, check=True).stdout.strip()
    go(f"/beheer/sollicitaties/{application}")
    day = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    for start, end in [("10:00", "11:00"), ("13:30", "14:30")]:
        set_date("slot_day", day)
        set_date("slot_start", start)
        set_date("slot_end", end)
        fill("slot_place", "Altra, Wibautstraat 10, Amsterdam")
        press("Gesprekstijd toevoegen")
        check("De gesprekstijd is toegevoegd" in text(), f"the time {start} is added")
    shot("hr-gesprekstijden")
    login("professional@doorstroom.test")
    go("/mijn/sollicitaties")
    check("Kies een tijd voor het gesprek" in text(), "the invited candidate is asked to choose a time")
    driver.find_elements(By.CSS_SELECTOR, "input[name=tijd]")[1].click()
    press("Deze tijd kiezen")
    check("De tijd is van jou" in text() and "13:30" in text(), "the chosen time is hers")
    check(len(driver.find_elements(By.CSS_SELECTOR, f"a[href='/mijn/sollicitaties/{application}/gesprek.ics']")) == 1,
          "the calendar file can be downloaded")
    shot("gesprek-gekozen")


def coordinator_runs_matching():
    print("# The coordinator runs the matching", flush=True)
    login("coordinator@doorstroom.test")
    go("/flexpool/coordinatie")
    press("Matching draaien")
    check("Laatste matching" in text(), "the board shows the run")
    shot("coordinatie")


def professional_takes_shift():
    print("# The professional accepts a shift", flush=True)
    login("professional@doorstroom.test")
    go("/mijn/diensten")
    before = len(driver.find_elements(By.XPATH, "//h2[text()='Bevestigd']/following-sibling::table[1]//tbody/tr"))
    accept = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Accepteren"]
    if accept:
        click(accept[0])
        how = "accepted a proposal"
    else:
        go("/flexpool")
        claim = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Claim deze dienst"]
        check(len(claim) > 0, "an open shift to claim is offered (no proposal came)")
        click(claim[0])
        how = "claimed an open shift"
    go("/mijn/diensten")
    after = len(driver.find_elements(By.XPATH, "//h2[text()='Bevestigd']/following-sibling::table[1]//tbody/tr"))
    check(after == before + 1, f"the professional {how}: confirmed shifts {before} → {after}")
    shot("mijn-diensten")


def coordinator_confirms():
    print("# The coordinator confirms the rest", flush=True)
    login("coordinator@doorstroom.test")
    go("/flexpool/coordinatie")
    buttons = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.startswith("Alle ")]
    check(len(buttons) == 1, f"the board offers to confirm all ({buttons[0].text if buttons else 'none'})")
    click(buttons[0])
    check("Alle 0 voorstellen bevestigen" in text(), "no proposals are left after confirming all")
    shot("coordinatie-bevestigd")
    go("/monitor")
    check(len(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")) == 12, "the monitor draws its charts")
    shot("monitor")


def coordinator_assigns_by_hand():
    print("# The coordinator adds a location, posts a shift there and puts the professional on it by hand", flush=True)
    login("coordinator@doorstroom.test")
    go("/flexpool/coordinatie/locaties")
    Select(driver.find_element(By.NAME, "organisation")).select_by_visible_text("Altra")
    fill("name", "De Boog e2e")
    fill("address", "Boogstraat 12, 1012 AB Amsterdam")
    fill("contact", "Sanne, 020 123 4567")
    fill("instructions", "Bel aan bij de groep.")
    press("Opslaan")
    check("De locatie is opgeslagen" in text(), "the location is saved")
    day = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date() + datetime.timedelta(days=25)
    go("/flexpool/coordinatie/vraag")
    Select(driver.find_element(By.NAME, "organisation")).select_by_visible_text("Altra")
    Select(driver.find_element(By.NAME, "area")).select_by_value("oost")
    Select(driver.find_element(By.NAME, "qualification")).select_by_value("jeugdhulpverlener")
    Select(driver.find_element(By.NAME, "location")).select_by_visible_text("De Boog e2e")
    set_date("date", day.isoformat())
    set_date("start", "09:00")
    set_date("end", "17:00")
    fill("people", "1")
    press("Vraag uitzetten")
    check("De vraag is geplaatst" in text(), "the shift is posted")
    check(len(driver.find_elements(By.CSS_SELECTOR, "table.grid")) >= 1, "the board is a grid")
    chips = [c for c in driver.find_elements(By.CSS_SELECTOR, "div.shift") if "De Boog e2e" in c.text]
    check(len(chips) == 1, "the shift is in the grid, with its location")
    shot("coordinatie-rooster")
    click(chips[0].find_element(By.LINK_TEXT, "Iemand kiezen"))
    check("Iemand inroosteren" in text(), "the shift's page offers people to put on it")
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "tbody tr") if "Priya Ramdin" in r.text]
    check(len(rows) >= 1, "the professional is among the eligible")
    shot("coordinatie-mensen")
    press("Inroosteren", within=rows[0])
    check("De persoon staat op de dienst" in text(), "she is on the shift")
    login("professional@doorstroom.test")
    go("/mijn/diensten")
    check("Boogstraat 12, 1012 AB Amsterdam" in text() and "Sanne, 020 123 4567" in text(), "her shift shows the address and the contact")
    go("/mijn/berichten")
    check("Je staat ingeroosterd" in text(), "she was told")
    feeds_read_by_real_parsers()


def feeds_read_by_real_parsers():
    print("# The Atom feed and the calendar, read by feedparser and icalendar", flush=True)
    import urllib.request
    import feedparser
    import icalendar
    go("/mijn/diensten")
    agenda = driver.find_element(By.ID, "agenda").get_attribute("value")
    path = "/flexpool/agenda/" + agenda.rsplit("/flexpool/agenda/", 1)[1]
    body = urllib.request.urlopen(BASE + path).read()
    calendar = icalendar.Calendar.from_ical(body)
    events = [c for c in calendar.walk("VEVENT")]
    check(len(events) >= 1, f"icalendar reads the shifts ({len(events)} events)")
    check(any("Boogstraat 12" in str(e.get("LOCATION")) for e in events), "the hand-assigned shift has the address as LOCATION")
    check(all(e.get("DTSTART") and e.get("DTEND") and e.get("UID") for e in events), "every event has a start, an end and a UID")
    feed = feedparser.parse(urllib.request.urlopen(BASE + "/vacatures.atom?q=jeugdhulpverlener").read())
    check(not feed.bozo, f"feedparser reads the Atom feed without complaint ({feed.get('bozo_exception')})")
    check(len(feed.entries) > 0 and all(e.get("id") and e.get("link") and e.get("updated") for e in feed.entries),
          f"every entry has an id, a link and an update time ({len(feed.entries)} entries)")
    check("q=jeugdhulpverlener" in feed.feed.get("id", ""), "the feed's id is the search's own")


def structured_data_has_googles_properties():
    """JobPosting, Event and Course JSON-LD hold the properties Google's documentation
    requires and recommends (developers.google.com/search/docs/appearance/structured-data)."""
    print("# Structured data: Google's required and recommended properties", flush=True)
    import json
    import re
    import urllib.request

    def markup(path):
        body = urllib.request.urlopen(BASE + path).read().decode()
        found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
        check(len(found) == 1, f"{path} carries one JSON-LD block")
        return json.loads(found[0])

    def has(obj, dotted):
        for key in dotted.split("."):
            if not isinstance(obj, dict) or obj.get(key) in (None, "", []):
                return False
            obj = obj[key]
        return True

    postings = json.load(urllib.request.urlopen(BASE + "/api/v1/postings?kind=vacancy"))["items"]
    vacancy = next(p for p in postings if p.get("salary_scale"))
    job = markup(vacancy["url"])
    required = ["title", "description", "datePosted", "hiringOrganization.name", "jobLocation.address.addressCountry",
                "jobLocation.address.addressLocality"]
    recommended = ["validThrough", "employmentType", "identifier.value", "baseSalary.currency", "baseSalary.value.unitText",
                   "baseSalary.value.minValue", "baseSalary.value.maxValue", "directApply", "hiringOrganization.sameAs"]
    missing = [k for k in required + recommended if not has(job, k)]
    check(job.get("@type") == "JobPosting" and not missing, f"a vacancy's JobPosting has Google's properties (missing: {missing})")
    check(job["description"].startswith("<p>"), "the job description is HTML")
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT23:59:00\+0[12]:00", job["validThrough"]) is not None, f"validThrough {job['validThrough']} has its offset")
    shadow = next(p for p in json.load(urllib.request.urlopen(BASE + "/api/v1/postings?kind=shadow_day"))["items"])
    event = markup(shadow["url"])
    missing = [k for k in ["name", "startDate", "location.address", "description", "eventStatus", "eventAttendanceMode", "organizer.name",
                           "offers.availability"] if not has(event, k)]
    check(event.get("@type") == "Event" and not missing, f"a shadow day's Event has Google's properties (missing: {missing})")
    course = json.load(urllib.request.urlopen(BASE + "/ooapi/v5/courses?pageSize=50"))["items"]
    with_offerings = next(c for c in course if json.load(urllib.request.urlopen(BASE + f"/ooapi/v5/courses/{c['courseId']}/offerings"))["items"])
    info = markup("/academie/" + with_offerings["courseId"])
    missing = [k for k in ["name", "description", "provider.name", "hasCourseInstance"] if not has(info, k)]
    check(info.get("@type") == "Course" and not missing, f"a course's markup has Google's properties (missing: {missing})")
    check(all(i.get("courseMode") in ("Online", "Onsite", "Blended") for i in info["hasCourseInstance"]), "every course instance has Google's courseMode")


def hr_makes_a_course():
    print("# The HR adviser makes a course in the form, with an offering", flush=True)
    login("hr@altra.doorstroom.test")
    go("/beheer/cursussen/nieuw")
    stamp = datetime.datetime.now().strftime("%H%M%S")
    name = f"Traumasensitief werken e2e{stamp}"
    fill("course_code", f"ALT-E2E-{stamp}")
    fill("name", name)
    fill("description", "Een cursus gemaakt in het formulier door de browsertest.")
    Select(driver.find_element(By.NAME, "format")).select_by_value("classroom")
    fill("topics", "trauma, veiligheid")
    shot("hr-cursus-nieuw")
    press("Opslaan")
    check("De cursus is opgeslagen" in text(), "the course is saved")
    click(driver.find_element(By.LINK_TEXT, "Nieuwe uitvoering"))
    start = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date() + datetime.timedelta(days=40)
    fill("offering_code", f"ALT-E2E-{stamp}-1")
    set_date("start_date", start.isoformat())
    set_date("end_date", start.isoformat())
    fill("max_students", "12")
    fill("sessions", f"{start.isoformat()} 09:00-16:00")
    press("Opslaan")
    check("De uitvoering is opgeslagen" in text() and f"ALT-E2E-{stamp}-1" in text(), "the offering is listed on the course")
    driver.delete_all_cookies()
    go("/academie?q=traumasensitief")
    check(name in text(), "a visitor finds the course in the academy")
    return name, f"ALT-E2E-{stamp}-1"


def certificate_read_by_a_real_pdf_parser(name, offering_code):
    print("# She completes the course; pypdf reads her certificate and anyone can check its code", flush=True)
    import io
    import urllib.request
    import pypdf
    login("professional@doorstroom.test")
    go("/academie?q=traumasensitief")
    click(driver.find_element(By.LINK_TEXT, name))
    press("Inschrijven")
    offering = subprocess.run(["psql", os.environ["DATABASE_URL"], "-Atc", f"SELECT id FROM course_offering WHERE primary_code = '{offering_code}'"],
                              capture_output=True, text=True, check=True).stdout.strip()
    login("hr@altra.doorstroom.test")
    go(f"/beheer/cursussen/uitvoering/{offering}")
    Select(driver.find_element(By.CSS_SELECTOR, "select[name=outcome]")).select_by_value("completed")
    press("Opslaan")
    login("professional@doorstroom.test")
    go("/mijn/ontwikkeling")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Certificaat (pdf)").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies})) as response:
        check(response.headers["Content-Type"] == "application/pdf", "the certificate comes as a PDF")
        reader = pypdf.PdfReader(io.BytesIO(response.read()))
    page = reader.pages[0].extract_text()
    check(len(reader.pages) == 1 and "Priya Ramdin" in page and name in page, "pypdf reads one page with her name and the course")
    code = page.split("Verificatiecode: ")[1].split()[0]
    check(len(code) == 14, f"the certificate carries its code ({code})")
    driver.delete_all_cookies()
    go("/certificaat")
    fill("code", code.lower())
    press("Controleren")
    check("Dit certificaat is echt" in text() and "Priya Ramdin" in text() and name in text(), "anyone can check the code")
    shot("certificaat")
    go("/certificaat/" + ("0" if code[0] != "0" else "1") + code[1:])
    check("hoort niet bij een geldig certificaat" in text(), "a forged code does not verify")


def professional_at_the_centre():
    print("# The professional: inbox, consent, who looked, career, a meeting, the download", flush=True)
    login("professional@doorstroom.test")
    go("/mijn/berichten")
    check("nodigt je uit" in text(), "the invitation is in the professional's inbox")
    shot("meldingen")
    go("/mijn/profiel")
    forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "form[action='/mijn/profiel/toestemming']")
             if f.find_element(By.NAME, "purpose").get_attribute("value") == "profile_search"]
    check(len(forms) == 1, "the profile offers consent to be found")
    press("Toestemming geven", within=forms[0])
    check("Je toestemming is vastgelegd" in text(), "the consent is given")
    login("hr@altra.doorstroom.test")
    go("/beheer/profielen?zoeken=1&functie=jeugdhulpverlener")
    links = driver.find_elements(By.LINK_TEXT, "Priya Ramdin")
    check(len(links) == 1, "the HR adviser of Altra finds her after her consent")
    click(links[0])
    Select(driver.find_element(By.NAME, "reden")).select_by_value("vacancy")
    press("Profiel openen")
    check("Dit is vastgelegd" in text() and "Jeugdhulpverlener" in text(), "the profile opens, with the reason written down")
    shot("hr-profiel")
    login("professional@doorstroom.test")
    go("/mijn/profiel")
    check("Hanneke de Wit" in text(), "she sees who looked at her profile")
    shot("mijn-profiel")
    go("/mijn/loopbaan")
    check("Naar Jeugdbeschermer" in text(), "her career steps are shown")
    shot("mijn-loopbaan")
    go("/ontmoetingen")
    meetings = driver.find_elements(By.CSS_SELECTOR, "tbody td a")
    check(len(meetings) > 0, f"the agenda lists meetings ({len(meetings)})")
    click(meetings[0])
    press("Aanmelden")
    check("Mijn ontmoetingen" in text(), "she is registered for a meeting")
    shot("ontmoetingen")
    go("/mijn/gegevens")
    check(len(driver.find_elements(By.CSS_SELECTOR, "a[href='/mijn/gegevens/download']")) == 1, "her data can be downloaded")


def career_conversation_and_the_school():
    print("# A professional books a career conversation; the adviser opens her profile; a school follows its students", flush=True)
    login("professional@doorstroom.test")
    go("/mijn/loopbaangesprek")
    driver.find_elements(By.CSS_SELECTOR, "input[name=tijd]")[0].click()
    Select(driver.find_element(By.NAME, "topic")).select_by_value("next_step")
    fill("question", "Ik wil richting gedragswetenschapper. Wat is een goede eerste stap?")
    press("Gesprek boeken")
    check("Je gesprek is geboekt" in text() and "Mijn volgende stap" in text(), "the conversation is booked, with its topic")
    check(len(driver.find_elements(By.CSS_SELECTOR, "a[href$='/loopbaangesprek.ics']")) == 1, "the calendar file can be downloaded")
    shot("loopbaangesprek-geboekt")
    go("/mijn")
    check("Je loopbaangesprek" in text(), "the start page shows the conversation")
    go("/mijn/loopbaangesprek")
    press("Agenda-adres maken")
    check("Je agenda-link is klaar" in text(), "her own calendar address is made")
    import urllib.request
    import icalendar
    address = driver.find_element(By.ID, "agenda-adres").get_attribute("value")
    body = urllib.request.urlopen(BASE + "/agenda/" + address.rsplit("/agenda/", 1)[1]).read()
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    check(any(str(e.get("SUMMARY")).startswith("Loopbaangesprek met") for e in events),
          f"icalendar reads the conversation in her own calendar ({len(events)} events)")
    login("loopbaan@doorstroom.test")
    go("/beheer/loopbaangesprekken")
    check("Priya Ramdin" in text() and "wat is een goede eerste stap" in text().lower(), "the adviser sees who booked and why")
    links = driver.find_elements(By.PARTIAL_LINK_TEXT, "Profiel bekijken")
    check(len(links) == 1, "her consent to be found lets the adviser open her profile")
    click(links[0])
    check("Priya Ramdin" in h1() and "Jeugdhulpverlener" in text(), "the profile opens")
    shot("loopbaanadviseur-profiel")
    login("stage@hva.doorstroom.test")
    go("/school")
    check("Stijn Koster" in text() and "Ahmed Ouali" not in text(), "the school sees its consenting students only")
    shot("school-overzicht")
    login("student@doorstroom.test")
    go("/mijn/school")
    check("Toestemming intrekken" in text(), "the student can withdraw the school's view in one click")


try:
    started = time.monotonic()
    stamp = datetime.datetime.now().strftime("%H%M%S")
    title = f"Jeugdhulpverlener leefgroep Oost e2e{stamp}"
    if os.environ.get("JOURNEYS") == "sweep":
        sweep()
        print(f"browser: sweep done ({steps} checks)")
        sys.exit(0)
    visitor()
    structured_data_has_googles_properties()
    hr_posts(title)
    professional_applies(title)
    professional_enrols()
    professional_joins_pool()
    hr_moves_application(title)
    candidate_books_an_interview(title)
    coordinator_runs_matching()
    professional_takes_shift()
    coordinator_confirms()
    coordinator_assigns_by_hand()
    course_name, offering_code = hr_makes_a_course()
    certificate_read_by_a_real_pdf_parser(course_name, offering_code)
    professional_at_the_centre()
    career_conversation_and_the_school()
    seeker = f"noor.{stamp}@voorbeeld.nl"
    job_seeker_signs_up_and_applies(title, seeker, "zeven lange paarden op het ijs")
    someone_resets_a_forgotten_password(seeker, "zeven lange paarden op het ijs")
    job_seeker_saves_a_search_and_a_posting(title, seeker, "zeven lange paarden op het ijs en nog wat")
    sweep()
    print(f"browser: ok ({steps} checks, {shots} screenshots in {SHOTS}, {time.monotonic() - started:.0f} s)")
except Failed as failure:
    print(f"browser: FAILED: {failure}", file=sys.stderr)
    sys.exit(1)
except Exception as error:
    shot("failed")
    print(f"browser: FAILED at {driver.current_url}: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
    traceback.print_exc(limit=6, file=sys.stderr)
    print(text()[:1500], file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
