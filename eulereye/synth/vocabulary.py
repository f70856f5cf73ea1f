"""Words the text generator draws from: plain, period-neutral English written for this project
(Apache-2.0 like the rest of it), so no outside word list or its licence is needed.

Only ASCII letters, digits and simple punctuation appear, so OCR output compares fairly: no
curly quotes, apostrophes, dashes or ligatures that an engine may legitimately render otherwise.
"""

NOUNS = """
account acre address affair agent answer army article assembly attorney audience bank bargain
barn bill board boat bridge brother building business cabin canal captain cargo carriage cattle
census chair charge church citizen city clerk coal college commerce committee company council
county court crop crowd custom daughter debt deed delegate depot district doctor dollar duty
editor election engine estate evening farm farmer father fence ferry field fire flood flour
foreman fortune freight friend fund garden government governor grain harbor harvest highway
hotel house inquiry island jail judge jury justice labor land lawyer leader letter library
lumber machine mail market mayor meeting member merchant mill miner minister money morning
mother nation neighbor newspaper night notice office officer order orchard owner paper parish
party passenger pastor people petition physician plan planter plant police pond post price
prisoner property public railroad rain ranch report resident river road salary school season
senate sheriff ship society soldier station steamer stock store storm street student supply
surveyor tax teacher telegraph tenant timber town trade train treasurer trial valley village
vote wagon warehouse water week wheat widow winter witness worker year
""".split()

# Nouns that read badly after a number ("3 flours"): left out of counted phrases.
MASS_NOUNS = set("""
cargo cattle census coal commerce custom freight flour grain government justice labor lumber
mail money people police property public rain stock supply timber trade water wheat
""".split())
COUNT_NOUNS = [noun for noun in NOUNS if noun not in MASS_NOUNS]

ADJECTIVES = """
able active ancient annual busy careful certain cheap civil clear cold common early eastern
entire fair famous final fine foreign former free fresh general good grand great heavy high
honest important large late local long lower main modern narrow national new northern old
open ordinary past plain poor popular present private proper public quiet rapid ready recent
regular rich rural serious severe short simple small southern special steady strong sudden
total upper usual valuable various warm weekly western whole wide young
""".split()

PAST_VERBS = """
accepted adopted announced approved arrived attended bought brought built called carried
caused closed completed considered continued delivered described discovered elected entered
examined expected filed finished followed found gave held improved included increased
inspected left made met moved named opened ordered organized paid passed placed prepared
presented promised raised reached received recommended refused reported requested returned
sent settled shipped signed sold started suffered supplied visited voted won
""".split()

ADVERBS = """
already certainly finally formerly generally lately nearly promptly quickly quietly rapidly
recently shortly slowly soon steadily today yesterday
""".split()

PREPOSITIONS = "about across after against along among at before behind beyond by during for from in near on over through toward under with within".split()

CONJUNCTIONS = "and but while although because since so".split()

FIRST_NAMES = """
Albert Alice Amos Anna Arthur Benjamin Charles Clara Daniel David Edward Eliza Emma Frank
George Harriet Henry Isaac James Jane John Joseph Lucy Martha Mary Nathan Oliver Samuel Sarah
Thomas Walter William
""".split()

SURNAMES = """
Adams Allen Baker Barnes Bell Brooks Brown Carter Clark Cook Davis Dunn Ellis Evans Fisher
Foster Gray Hall Harris Hill Hughes Jackson Johnson Jones Kelly King Lane Lewis Miller Moore
Morgan Morris Nelson Palmer Parker Porter Reed Rogers Scott Shaw Smith Stone Taylor Turner
Walker Ward Warren Webb White Wilson Wood Wright Young
""".split()

TITLES = "Mr. Mrs. Dr. Rev. Col. Capt. Judge Major".split()

PLACE_STARTS = "Ash Bear Brook Cedar Clear Elm Fair Fox Glen Green High Lake Maple Mill Oak Pine Red River Rock Spring Stone Sugar West White Willow".split()
PLACE_ENDS = "burg dale field ford grove haven land mont port ton ville wood".split()

MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday".split()

PAPER_NAMES = "Courier Gazette Herald Journal Ledger Messenger Observer Recorder Register Sentinel Times Tribune".split()

ADVERT_GOODS = """
boots blankets coffee flour furniture groceries hardware harness lamps medicines overcoats
paint pianos plows saddles seeds shoes machines stoves tea tools watches
""".split()

ADVERT_CALLS = """
GREAT BARGAINS|CLOSING OUT SALE|NEW GOODS|LOW PRICES|SPECIAL NOTICE|CASH ONLY|JUST RECEIVED|FOR SALE|
WANTED|FOR RENT|REMOVAL SALE|HOLIDAY GOODS
""".replace("\n", "").split("|")
