"""Adjectives of origin and the places they name, for "Russian-born" → Russia (keys case-folded)."""

from __future__ import annotations

import re

_TABLE = """
afghan:Afghanistan albanian:Albania algerian:Algeria american:America andorran:Andorra angolan:Angola
argentine:Argentina argentinian:Argentina armenian:Armenia australian:Australia austrian:Austria
azerbaijani:Azerbaijan bahamian:Bahamas bahraini:Bahrain bangladeshi:Bangladesh barbadian:Barbados
belarusian:Belarus belgian:Belgium belizean:Belize beninese:Benin bhutanese:Bhutan bolivian:Bolivia
bosnian:Bosnia botswanan:Botswana brazilian:Brazil british:Britain bruneian:Brunei bulgarian:Bulgaria
burmese:Burma burundian:Burundi cambodian:Cambodia cameroonian:Cameroon canadian:Canada chadian:Chad
chilean:Chile chinese:China colombian:Colombia congolese:Congo croatian:Croatia cuban:Cuba cypriot:Cyprus
czech:Czech Republic danish:Denmark djiboutian:Djibouti dominican:Dominican Republic dutch:Netherlands
ecuadorian:Ecuador egyptian:Egypt english:England eritrean:Eritrea estonian:Estonia ethiopian:Ethiopia
fijian:Fiji filipino:Philippines finnish:Finland french:France gabonese:Gabon gambian:Gambia
georgian:Georgia german:Germany ghanaian:Ghana greek:Greece grenadian:Grenada guatemalan:Guatemala
guinean:Guinea guyanese:Guyana haitian:Haiti honduran:Honduras hungarian:Hungary icelandic:Iceland
indian:India indonesian:Indonesia iranian:Iran iraqi:Iraq irish:Ireland israeli:Israel italian:Italy
ivorian:Ivory Coast jamaican:Jamaica japanese:Japan jordanian:Jordan kazakh:Kazakhstan kenyan:Kenya
korean:Korea kosovar:Kosovo kuwaiti:Kuwait kyrgyz:Kyrgyzstan lao:Laos laotian:Laos latvian:Latvia
lebanese:Lebanon liberian:Liberia libyan:Libya lithuanian:Lithuania luxembourgish:Luxembourg
macedonian:Macedonia malagasy:Madagascar malawian:Malawi malaysian:Malaysia maldivian:Maldives
malian:Mali maltese:Malta mauritanian:Mauritania mauritian:Mauritius mexican:Mexico moldovan:Moldova
monegasque:Monaco mongolian:Mongolia montenegrin:Montenegro moroccan:Morocco mozambican:Mozambique
namibian:Namibia nepalese:Nepal nepali:Nepal nicaraguan:Nicaragua nigerien:Niger nigerian:Nigeria
norwegian:Norway omani:Oman pakistani:Pakistan palestinian:Palestine panamanian:Panama
paraguayan:Paraguay persian:Persia peruvian:Peru polish:Poland portuguese:Portugal prussian:Prussia
puerto rican:Puerto Rico qatari:Qatar romanian:Romania russian:Russia rwandan:Rwanda salvadoran:El Salvador
samoan:Samoa saudi:Saudi Arabia scottish:Scotland senegalese:Senegal serbian:Serbia sierra leonean:Sierra Leone
singaporean:Singapore slovak:Slovakia slovenian:Slovenia somali:Somalia south african:South Africa
soviet:Soviet Union spanish:Spain sri lankan:Sri Lanka sudanese:Sudan surinamese:Suriname swazi:Eswatini
swedish:Sweden swiss:Switzerland syrian:Syria taiwanese:Taiwan tajik:Tajikistan tanzanian:Tanzania
thai:Thailand tibetan:Tibet togolese:Togo tongan:Tonga trinidadian:Trinidad tunisian:Tunisia
turkish:Turkey turkmen:Turkmenistan ugandan:Uganda ukrainian:Ukraine uruguayan:Uruguay uzbek:Uzbekistan
venezuelan:Venezuela vietnamese:Vietnam welsh:Wales yemeni:Yemen yugoslav:Yugoslavia zambian:Zambia
zimbabwean:Zimbabwe african:Africa asian:Asia european:Europe caribbean:Caribbean
latin american:Latin America arab:Arabia bavarian:Bavaria catalan:Catalonia basque:Basque Country
corsican:Corsica sicilian:Sicily sardinian:Sardinia bohemian:Bohemia flemish:Flanders
hawaiian:Hawaii texan:Texas californian:California austro-hungarian:Austria-Hungary ottoman:Ottoman Empire
"""

DEMONYMS: dict[str, str] = dict(
    (pair.split(":")[0].replace("_", " "), pair.split(":")[1])
    for line in _TABLE.strip().splitlines()
    for pair in re.findall(r"[a-z][a-z -]*?:[A-Z][A-Za-z -]*?(?=\s+[a-z][a-z -]*?:|\s*$)", line)
)
"""Case-folded adjective of origin → the place it names (countries, continents, a few regions)."""
