"""Sentence -> relations tables, one per construction journalists use.

The sentences are our own; names come from the gazetteer. A relation table lists what
must be found; ``absent`` lists what must not be. Each table runs twice: through the
hand-written rules alone (they are the classifier's features and must keep working),
and through the full extractor, rules plus trained model (what users get). Cases the
model still gets wrong are strict xfails, listed in ``MODEL_MISSES``.
"""

import pytest

from kg.model import Article

SYM = {"partnersWith", "competesWith", "disputesWith"}


def _has(found, s, p, o):
    return (s, p, o) in found or (p in SYM and (o, p, s) in found)


FOUND = [
    # active, prepositional, amount
    ("Microsoft invested $10 billion in OpenAI in January 2023.", ("Microsoft", "investsIn", "OpenAI")),
    ("Amazon will invest up to $4 billion in Anthropic.", ("Amazon", "investsIn", "Anthropic")),
    # passive
    ("GitHub was acquired by Microsoft in 2018.", ("Microsoft", "acquires", "GitHub")),
    # control verb and infinitival complement of a noun
    ("Microsoft agreed to acquire GitHub for $7.5 billion.", ("Microsoft", "acquires", "GitHub")),
    (
        "Databricks announced a definitive agreement to acquire MosaicML, a generative AI platform.",
        ("Databricks", "acquires", "MosaicML"),
    ),
    # relative clause
    ("DeepMind, which Google acquired in 2014, released a new model.", ("Google", "acquires", "Google DeepMind")),
    # nominal with possessive
    ("Microsoft's acquisition of GitHub closed in October.", ("Microsoft", "acquires", "GitHub")),
    ("Google's investment in Anthropic now totals $2 billion.", ("Google", "investsIn", "Anthropic")),
    # participle modifier "X-backed"
    ("The Microsoft-backed startup OpenAI released a new model.", ("Microsoft", "investsIn", "OpenAI")),
    # support verb + noun
    ("Microsoft announced a partnership with Mistral AI on Monday.", ("Microsoft", "partnersWith", "Mistral AI")),
    (
        "The partnership between Google and Samsung covers the new phones.",
        ("Google", "partnersWith", "Samsung Electronics"),
    ),
    # role nouns: compound title, apposition, copula
    ("OpenAI CEO Sam Altman spoke at the conference.", ("Sam Altman", "leads", "OpenAI")),
    ("Microsoft chief executive Satya Nadella praised the deal.", ("Satya Nadella", "leads", "Microsoft")),
    (
        "Mustafa Suleyman, chief executive of Microsoft AI, spoke on Tuesday.",
        ("Mustafa Suleyman", "leads", "Microsoft AI"),
    ),
    ("Sundar Pichai is the chief executive of Google.", ("Sundar Pichai", "leads", "Google")),
    # coordinated role nouns
    (
        "Ali Ghodsi, co-founder and chief executive of Databricks, welcomed the team.",
        ("Ali Ghodsi", "founded", "Databricks"),
    ),
    (
        "Ali Ghodsi, co-founder and chief executive of Databricks, welcomed the team.",
        ("Ali Ghodsi", "leads", "Databricks"),
    ),
    # "co-founded" kept one token, relative "who"
    ("Ilya Sutskever, who co-founded OpenAI, left the company in 2024.", ("Ilya Sutskever", "founded", "OpenAI")),
    ("OpenAI was founded by Sam Altman and Elon Musk in 2015.", ("Elon Musk", "founded", "OpenAI")),
    # apposition naming a maker
    ("Anthropic, the maker of Claude, hired new researchers.", ("Anthropic", "develops", "Claude")),
    # possessive model
    ("OpenAI's GPT-4 impressed many researchers.", ("OpenAI", "develops", "GPT-4")),
    # coordination on the subject side and the object side
    ("The New York Times sued OpenAI and Microsoft over copyright.", ("The New York Times", "sues", "Microsoft")),
    ("The New York Times sued OpenAI and Microsoft over copyright.", ("The New York Times", "sues", "OpenAI")),
    ("Disney and Universal sued Midjourney in June.", ("Disney", "sues", "Midjourney")),
    # rival, as compound title and as copula
    ("OpenAI rival Anthropic raised new money.", ("Anthropic", "competesWith", "OpenAI")),
    # hiring (inverted roles) and joining
    ("Microsoft hired Mustafa Suleyman in March.", ("Mustafa Suleyman", "worksFor", "Microsoft")),
    ("Mustafa Suleyman joined Microsoft in March.", ("Mustafa Suleyman", "worksFor", "Microsoft")),
    # uses, with the name classifying a common noun
    ("Anthropic will use AWS Trainium chips to train its models.", ("Anthropic", "uses", "AWS Trainium")),
    # investor list after "including"
    ("Adept raised $350 million from investors including Microsoft and Nvidia.", ("Nvidia", "investsIn", "Adept")),
    # coreference: pronoun, description, gazetteer descriptor
    (
        "OpenAI released a new model. Its chief executive Sam Altman called it a step.",
        ("Sam Altman", "leads", "OpenAI"),
    ),
    (
        "Amazon will invest $4 billion in Anthropic. Google also took a stake in the startup.",
        ("Google", "investsIn", "Anthropic"),
    ),
    ("SoftBank agreed to invest in the ChatGPT maker.", ("SoftBank", "investsIn", "OpenAI")),
    (
        "Microsoft, whose Copilot assistant runs on GPT-4, reported earnings.",
        ("Microsoft", "develops", "Microsoft Copilot"),
    ),
    # title read from surface order, where the small model mis-parses it
    ("Anthropic chief executive Dario Amodei announced the deal.", ("Dario Amodei", "leads", "Anthropic")),
    (
        "Humane's co-founders Imran Chaudhri and Bethany Bongiorno will join HP.",
        ("Bethany Bongiorno", "founded", "Humane"),
    ),
    # funding rounds
    ("OpenAI raised $6.6 billion in a round led by Thrive Capital.", ("Thrive Capital", "investsIn", "OpenAI")),
    ("SoftBank led a $40 billion funding round in OpenAI.", ("SoftBank", "investsIn", "OpenAI")),
    # parent company, named unit
    ("Alphabet is the parent company of Google.", ("Google", "subsidiaryOf", "Alphabet")),
    # the parent named as a compound: "<unit> parent <company>"
    ("Shares of Google parent Alphabet rose 4% on Tuesday.", ("Google", "subsidiaryOf", "Alphabet")),
    ("Kestrel owner Dastra said the deal would close soon.", ("Kestrel", "subsidiaryOf", "Dastra")),
    # the unit named before its noun: "<parent>'s <unit> unit"
    ("Nvidia's Mellanox unit supplies the networking gear.", ("Mellanox", "subsidiaryOf", "Nvidia")),
    ("Microsoft's LinkedIn division laid off staff.", ("LinkedIn", "subsidiaryOf", "Microsoft")),
    # "its" on the name the role word modifies: the possessor is the other side
    ("Alphabet said its subsidiary Waymo would expand to Tokyo.", ("Waymo", "subsidiaryOf", "Alphabet")),
    # a copula whose subject is the role noun and whose complement names its holder
    ("Quorra's parent company is Dastra Holdings.", ("Quorra", "subsidiaryOf", "Dastra Holdings")),
    ("Quorra's chief executive is Jane Doria.", ("Jane Doria", "leads", "Quorra")),
    ("OpenAI's biggest rival is Google.", ("Google", "competesWith", "OpenAI")),
    # competition stated through a contrast, a race or a chase
    ("Unlike rivals Google and Microsoft, Apple has no large model of its own.", ("Google", "competesWith", "Apple")),
    ("Nvidia and AMD are locked in a battle for data-centre customers.", ("Nvidia", "competesWith", "AMD")),
    ("xAI is racing to catch up with OpenAI and Google.", ("xAI", "competesWith", "OpenAI")),
    ("Anthropic has been gaining ground on OpenAI in the enterprise market.", ("Anthropic", "competesWith", "OpenAI")),
    ("OpenAI is racing to keep ahead of Google.", ("OpenAI", "competesWith", "Google")),
    ("Microsoft now counts OpenAI as a competitor in search and advertising.", ("OpenAI", "competesWith", "Microsoft")),
    # a battle in court stays a dispute
    ("Nvidia and AMD are locked in a legal battle over patents.", ("Nvidia", "disputesWith", "AMD")),
    ("Epic's fight against Apple for lower app-store fees continues.", ("Epic", "disputesWith", "Apple")),
    # years spent in a role belong to the role's holder
    (
        "After Joseph Mwangi's ten years as Safaricom CEO, the board looked outside.",
        ("Joseph Mwangi", "leads", "Safaricom"),
    ),
    # a partner in a firm works for it
    ("Greta Lind, a partner in the venture firm Accel, joined the board.", ("Greta Lind", "worksFor", "Accel")),
    # a phrase fronted before the subject describes it
    (
        "A subsidiary of Tervo Media, Brightpath is an online retail platform.",
        ("Brightpath", "subsidiaryOf", "Tervo Media"),
    ),
    ("An investor in Anthropic, Amazon said the startup was growing fast.", ("Amazon", "investsIn", "Anthropic")),
    ("The former president and CEO of Dastra Inc., Venn was named chairman.", ("Venn", "leads", "Dastra")),
    # an occupation noun between the employer and the name
    ("The study was run by Stanford psychologist Lena Marsh.", ("Lena Marsh", "worksFor", "Stanford University")),
    # a participle on the copula's complement: its subject underwent it
    (
        "Marchesa Studio is a fashion brand established in 2004 by Georgina Hale and Keren Craig.",
        ("Keren Craig", "founded", "Marchesa Studio"),
    ),
    # a hyphen inside a name no model knows
    ("Dana Reyes joined TRX-Halden as a research scientist in 2019.", ("Dana Reyes", "worksFor", "TRX-Halden")),
    ("Microsoft set up a new consumer division called Microsoft AI.", ("Microsoft AI", "subsidiaryOf", "Microsoft")),
    # staff act for the company; integration into a product
    ("OpenAI engineers had been using Claude Code for months.", ("OpenAI", "uses", "Claude Code")),
    ("Google is folding its Gemini models into Workspace.", ("Google Workspace", "uses", "Gemini")),
    # participle clause and "as <role>"
    ("Founded in 2021 by Dario Amodei, Anthropic builds large models.", ("Dario Amodei", "founded", "Anthropic")),
    # a date adjunct does not block a release; coordinated subjects share a support verb
    ("Anthropic released Claude 3 on Monday.", ("Anthropic", "develops", "Claude 3")),
    ("OpenAI and Microsoft have a close partnership.", ("OpenAI", "partnersWith", "Microsoft")),
    # investor lists, shares and passive rounds
    ("Nvidia is among the investors in xAI.", ("Nvidia", "investsIn", "xAI")),
    ("Google owns about 14% of Anthropic.", ("Google", "investsIn", "Anthropic")),
    ("The funding round for Mistral AI was led by General Catalyst.", ("General Catalyst", "investsIn", "Mistral AI")),
    ("Microsoft is OpenAI's largest investor.", ("Microsoft", "investsIn", "OpenAI")),
    ("Mistral AI counts Nvidia as an investor.", ("Nvidia", "investsIn", "Mistral AI")),
    ("SoftBank committed $30 billion to OpenAI.", ("SoftBank", "investsIn", "OpenAI")),
    ("Sam Altman returned as chief executive of OpenAI.", ("Sam Altman", "leads", "OpenAI")),
    # platforms and products
    ("Claude 3 is available on Amazon Bedrock.", ("Amazon Bedrock", "uses", "Claude 3")),
    ("Perplexity switched to Claude for its answers.", ("Perplexity", "uses", "Claude")),
    ("OpenAI's models run on Microsoft Azure.", ("OpenAI", "uses", "Microsoft Azure")),
    # participation in a round named in the sentence before
    (
        "OpenAI said it had raised $40 billion in a round led by SoftBank. Coatue and Thrive Capital also took part.",
        ("Thrive Capital", "investsIn", "OpenAI"),
    ),
    # "the partnership" naming no partner: the pair of the investment stated before it
    (
        "Microsoft is making a multibillion-dollar investment in OpenAI, extending a partnership that began in 2019.",
        ("Microsoft", "partnersWith", "OpenAI"),
    ),
    ("Claude models are used on Amazon Bedrock.", ("Amazon Bedrock", "uses", "Claude")),
    # the head of an unnamed unit is on the company's staff, not its leader
    ("Apple's services chief Eddy Cue testified on Tuesday.", ("Eddy Cue", "worksFor", "Apple")),
    ("Demis Hassabis, who heads Google's AI efforts, spoke on Tuesday.", ("Demis Hassabis", "worksFor", "Google")),
    (
        "Dana Ortiz, Lumora's head of sales and partnerships, said the deal would close.",
        ("Dana Ortiz", "worksFor", "Lumora"),
    ),
    (
        "Maya Lund, Lumora's president of global affairs, said the models would be shared.",
        ("Maya Lund", "worksFor", "Lumora"),
    ),
    ("Mistral AI takes on OpenAI in Europe.", ("Mistral AI", "competesWith", "OpenAI")),
    # a regulator's fine is a finding against the company it fines
    ("Clearview AI was fined 20 million euros by the Garante in March.", ("Garante", "disputesWith", "Clearview AI")),
    # a possessor before coordinated names owns each of them
    ("Others rely on Google's Gemini Pro and Imagen 2 models.", ("Google", "develops", "Imagen 2")),
    ("Scale AI received a significant investment from Meta.", ("Meta", "investsIn", "Scale AI")),
    # a former employer is still an employer (the graph keeps history by date)
    ("Sutskever started a new lab in June after leaving OpenAI in May.", ("Ilya Sutskever", "worksFor", "OpenAI")),
    # names neither the gazetteer nor NER knows, in a company profile
    ("Airstream is a subsidiary of Thor Industries.", ("Airstream", "subsidiaryOf", "Thor Industries")),
    # participle clause: the main subject did the joining
    (
        "Prior to joining Microsoft, Denis Smith was chairman of Mobile Cohesion.",
        ("Denis Smith", "worksFor", "Microsoft"),
    ),
    # the object filled: coordinated subjects are not each other's rivals
    ("Google and Anthropic are among the companies competing with OpenAI.", ("Google", "competesWith", "OpenAI")),
    # investors of a round whose sentence does not name the company raising
    (
        "Perplexity has raised $500 million. Nvidia, Amazon and SoftBank all invested.",
        ("SoftBank", "investsIn", "Perplexity"),
    ),
    (
        "Mistral AI has raised $640 million. General Catalyst led the round.",
        ("General Catalyst", "investsIn", "Mistral AI"),
    ),
    (
        "Perplexity, the search startup, has raised $500 million. SoftBank led the financing.",
        ("SoftBank", "investsIn", "Perplexity"),
    ),
    # a long list the parser splits: every member fills the slot
    (
        "xAI raised $6 billion in a round led by Sequoia Capital, with Nvidia, AMD and Fidelity also taking part.",
        ("Nvidia", "investsIn", "xAI"),
    ),
    # co-agents
    ("Amazon invested in Anthropic alongside Google and Salesforce.", ("Salesforce", "investsIn", "Anthropic")),
    ("Cohere was founded by Aidan Gomez along with Nick Frosst.", ("Nick Frosst", "founded", "Cohere")),
    # each possessor keeps its own model in a list
    ("The test compared Meta's Llama 3, OpenAI's GPT-4o and Google's Gemini.", ("OpenAI", "develops", "GPT-4o")),
    # a leader named without the organization in the clause
    (
        "Emad Mostaque resigned as chief executive of Stability AI. Shan Shan Wong will serve as interim chief executive.",
        ("Shan Shan Wong", "leads", "Stability AI"),
    ),
    (
        "Jason Droege, Scale AI's chief strategy officer, will become interim chief executive.",
        ("Jason Droege", "leads", "Scale AI"),
    ),
    # a description of a model named before
    (
        "Anthropic released Claude 3.5 Sonnet. The model is available through Amazon Bedrock.",
        ("Amazon Bedrock", "uses", "Claude 3.5 Sonnet"),
    ),
    # a descriptor read with its of-phrase
    ("SoftBank will invest $40 billion in the maker of ChatGPT.", ("SoftBank", "investsIn", "OpenAI")),
    # surnames shared, models behind products, rivals of products, joined forces, passive
    # infinitives, included products, suppliers bought from or paid, earlier employers,
    # copular relative clauses, whose-titles, tickers, successors, lawsuits fought
    ("Anthropic was founded in 2021 by siblings Dario and Daniela Amodei.", ("Dario Amodei", "founded", "Anthropic")),
    ("GPT-4o, the model behind ChatGPT, is fast.", ("ChatGPT", "uses", "GPT-4o")),
    ("Figma is a rival to Adobe's own design software.", ("Figma", "competesWith", "Adobe")),
    ("Samsung joined forces with Google on the phones.", ("Samsung Electronics", "partnersWith", "Google")),
    ("HashiCorp agreed to be bought by IBM.", ("IBM", "acquires", "HashiCorp")),
    ("Lionsgate will put Runway's video tools, including Gen-3 Alpha, to work.", ("Runway", "develops", "Gen-3 Alpha")),
    ("CoreWeave buys its graphics processors from Nvidia.", ("Nvidia", "suppliesTo", "CoreWeave")),
    # pitted or put up against a rival
    ("The deal pits Microsoft against Google in cloud computing.", ("Microsoft", "competesWith", "Google")),
    ("Its new chip puts Qualcomm up against Apple and Intel.", ("Qualcomm", "competesWith", "Intel")),
    # a role in apposition to the copula's complement
    (
        "Tomas Berg is a Swedish businessman, chief executive of Kestrel Marine.",
        ("Tomas Berg", "leads", "Kestrel Marine"),
    ),
    # a verb whose subject the parser hung on it as a modifier; a licence taken from a maker
    ("Tencent's Yuanbao assistant runs on its own Hunyuan models.", ("Yuanbao", "uses", "Hunyuan")),
    ("Lautaro Robotics licenses its vision models from Quillay AI.", ("Quillay AI", "suppliesTo", "Lautaro Robotics")),
    # a platform named after the offered model's noun ("offers X's models through Y")
    ("Amazon offers Meta's Llama 3 models through Amazon Bedrock.", ("Amazon Bedrock", "uses", "Llama 3")),
    # two coordinated role nouns after a copula, the first parsed as a modifier of the second
    (
        "Oracle is Cohere's main cloud provider and training partner.",
        ("Oracle", "suppliesTo", "Cohere"),
    ),
    ("Apple will pay Google about $1 billion a year for a custom model.", ("Google", "suppliesTo", "Apple")),
    ("Ruoming Pang joined Apple from Google in 2021.", ("Ruoming Pang", "worksFor", "Google")),
    (
        "Microsoft, which was CoreWeave's largest customer last year, signed a new deal.",
        ("CoreWeave", "suppliesTo", "Microsoft"),
    ),
    (
        "Reddit licenses its posts to OpenAI, whose chief executive Sam Altman is a shareholder.",
        ("Sam Altman", "leads", "OpenAI"),
    ),
    (
        "Microsoft (MSFT.O), opens new tab, OpenAI's biggest backer, put in $1 billion.",
        ("Microsoft", "investsIn", "OpenAI"),
    ),
    (
        "Frank Slootman will step down as chief executive of Snowflake and be replaced by Sridhar Ramaswamy.",
        ("Sridhar Ramaswamy", "leads", "Snowflake"),
    ),
    (
        "Anthropic is fighting a lawsuit brought by Universal Music Group.",
        ("Universal Music Group", "sues", "Anthropic"),
    ),
    # money taken or lined up from an investor; investors of a round that name no company
    ("Anthropic has lined up as much as $4 billion from Amazon.", ("Amazon", "investsIn", "Anthropic")),
    ("Mistral AI has raised $600 million. Nvidia, Samsung and IBM all joined.", ("IBM", "investsIn", "Mistral AI")),
    (
        "Stability AI raised $80 million. Returning backers Lightspeed Venture Partners and Coatue put in more money.",
        ("Coatue", "investsIn", "Stability AI"),
    ),
    # earlier employers: a clause inside a relative clause, years spent, leaving for
    (
        "Ryan Blue, who created the Iceberg format while working at Netflix, joined Databricks.",
        ("Ryan Blue", "worksFor", "Netflix"),
    ),
    ("Arthur Mensch spent nearly three years at Google DeepMind.", ("Arthur Mensch", "worksFor", "Google DeepMind")),
    ("Pat Gelsinger left in 2009 for EMC.", ("Pat Gelsinger", "worksFor", "EMC")),
    # an apposition after a list; a product apposed to an owned noun; a possessed NER name
    (
        "Nvidia and Salesforce Ventures, the investment arm of Salesforce, joined.",
        ("Salesforce Ventures", "subsidiaryOf", "Salesforce"),
    ),
    ("Mistral AI grew fast. Its chatbot, Le Chat, has millions of users.", ("Mistral AI", "develops", "Le Chat")),
    ("Adobe, whose Firefly models are trained on licensed images, disagreed.", ("Adobe", "develops", "Firefly")),
    # a product or model named before or beside its noun: NER had called it a company
    ("Selva Robotics said its Onca inspection robot would ship in May.", ("Selva Robotics", "develops", "Onca")),
    (
        "Lazaro Motors unveiled its driver-assistance system, Vigilo, on Tuesday.",
        ("Lazaro Motors", "develops", "Vigilo"),
    ),
    (
        "Kauri Digital released its pasture-planning tool, Wiremu, in May. The tool uses Gemini to answer questions.",
        ("Wiremu", "uses", "Gemini"),
    ),
    # lower-case words between a name and the noun that fills the slot
    ("The Dalnim welding robots are used by Gaon Motors in three plants.", ("Gaon Motors", "uses", "Dalnim")),
    # partitives, competition, snapping up, the helm, launching a company, teaming with
    (
        "Runway, the New York startup that is now one of Stability AI's closest rivals, raised money.",
        ("Runway", "competesWith", "Stability AI"),
    ),
    ("The deal puts Salesforce in direct competition with Microsoft.", ("Salesforce", "competesWith", "Microsoft")),
    ("Microsoft snapped up Inflection AI last year.", ("Microsoft", "acquires", "Inflection AI")),
    ("Satya Nadella took the helm at Microsoft in 2014.", ("Satya Nadella", "leads", "Microsoft")),
    ("Sam Altman launched OpenAI in 2015 with Elon Musk.", ("Sam Altman", "founded", "OpenAI")),
    ("Samsung teamed with Google on the phones.", ("Samsung Electronics", "partnersWith", "Google")),
    # a raising verb passes its subject on; a proper name tagged as an adjective
    (
        "The MosaicML team, including co-founder Naveen Rao, is set to join Databricks.",
        ("Naveen Rao", "worksFor", "Databricks"),
    ),
    ("Yann LeCun, who founded Meta's FAIR research lab, will leave.", ("Yann LeCun", "founded", "FAIR")),
    (
        "John Schulman, who moved to Anthropic last year, joined as chief scientist.",
        ("John Schulman", "worksFor", "Anthropic"),
    ),
    ("Microsoft hired Mustafa Suleyman for Microsoft AI.", ("Mustafa Suleyman", "worksFor", "Microsoft AI")),
    # a possessive descriptor names the product and its maker
    ("Siri will pass the question to OpenAI's chatbot, which is powered by GPT-4o.", ("ChatGPT", "uses", "GPT-4o")),
    ("Siri will pass the question to OpenAI's chatbot, which is powered by GPT-4o.", ("OpenAI", "develops", "ChatGPT")),
    # a one-word name NER takes for a person, in a slot only a company fills
    ("Almendra is owned by the pharmacy chain Calvera.", ("Almendra", "subsidiaryOf", "Calvera")),
    ("Belcosta was acquired by Minera Aconque in 2021.", ("Minera Aconque", "acquires", "Belcosta")),
    # a gerund the parser takes for a verb of its own ("supply targeting software to");
    # a name neither the gazetteer nor NER knows, in a supply frame
    (
        "Corvane Systems will supply targeting software to Halvorsen Robotics.",
        ("Corvane Systems", "suppliesTo", "Halvorsen Robotics"),
    ),
    (
        "Corvane Systems will supply targeting software to Tasman Shield.",
        ("Corvane Systems", "suppliesTo", "Tasman Shield"),
    ),
    # goods from a supplier, in the customer's use of them; buyers of a maker's goods
    (
        "Halvorsen Robotics's robots use sensors from Brightwater Cloud.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    (
        "Halvorsen Robotics trains its models on compute rented from Brightwater Cloud.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    (
        "Brightwater Cloud ships its memory chips for Halvorsen Robotics's servers.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    ("Kaltrek's routing models come from Yelder Labs.", ("Yelder Labs", "suppliesTo", "Kaltrek")),
    ("Sorvino's models run on Etna Cloud.", ("Etna Cloud", "suppliesTo", "Sorvino")),
    ("Orsk Labs relied on Tengri Data's servers for two years.", ("Tengri Data", "suppliesTo", "Orsk Labs")),
    # rivals who lose to, race, beat or square off against each other; a dispute "at odds"
    (
        "Halvorsen Robotics lost the contract to Brightwater Cloud.",
        ("Halvorsen Robotics", "competesWith", "Brightwater Cloud"),
    ),
    (
        "Halvorsen Robotics is racing Brightwater Cloud to build the first humanoid for warehouses.",
        ("Halvorsen Robotics", "competesWith", "Brightwater Cloud"),
    ),
    (
        "Arbelo Cloud beat Dniester Data and Prut Systems in the tender.",
        ("Arbelo Cloud", "competesWith", "Prut Systems"),
    ),
    (
        "Orenda Analytics and Kisik Systems will square off for the contract.",
        ("Orenda Analytics", "competesWith", "Kisik Systems"),
    ),
    (
        "Halvorsen Robotics is at odds with Brightwater Cloud over fees.",
        ("Halvorsen Robotics", "disputesWith", "Brightwater Cloud"),
    ),
    # the maker's name right before its product's
    ("xAI brought its cluster online with 100,000 Nvidia H100 GPUs.", ("Nvidia", "develops", "H100")),
    # a versioned name alone is a model; a product a company released, then named alone
    ("Meridia said it would adopt Kestrel-2 for its call centres.", ("Meridia", "uses", "Kestrel-2")),
    (
        "Halvorsen Robotics released Sonar, a transcription tool, on Monday. Sonar is now available to Meridia "
        "doctors.",
        ("Meridia", "uses", "Sonar"),
    ),
    # "compete for X with Y"
    (
        "Halvorsen Robotics will compete for port contracts with Brightwater Cloud.",
        ("Halvorsen Robotics", "competesWith", "Brightwater Cloud"),
    ),
    # a customer or user of a product uses it; a company's assistant stands for the company
    (
        "The deal makes OpenAI the anchor customer of Oracle's OCI cloud.",
        ("OpenAI", "uses", "Oracle Cloud Infrastructure"),
    ),
    ("Anthropic is a heavy user of Google's TPUs.", ("Anthropic", "uses", "TPU")),
    ("Klarna's customer-service assistant is built on OpenAI's GPT-4o.", ("Klarna", "uses", "GPT-4o")),
    ("Microsoft added Claude to GitHub Copilot this week.", ("GitHub Copilot", "uses", "Claude")),
    # a product tried, tested, piloted or trialled is used; rolled out to a company's own staff
    ("Walmart piloted Microsoft Copilot in two stores last year.", ("Walmart", "uses", "Microsoft Copilot")),
    ("Unilever tried Claude in its marketing team in 2024.", ("Unilever", "uses", "Claude")),
    ("Ford is trialling Gemini in its service centres.", ("Ford", "uses", "Gemini")),
    ("Lufthansa has rolled out Gemini to its cabin crew.", ("Lufthansa", "uses", "Gemini")),
    # a company's customer; goods made, hosted or licensed for a company; a company's goods used
    ("OpenAI is a Microsoft customer.", ("Microsoft", "suppliesTo", "OpenAI")),
    ("Nvidia signed Meta as a customer.", ("Nvidia", "suppliesTo", "Meta")),
    ("Nvidia's chips are made by TSMC.", ("TSMC", "suppliesTo", "Nvidia")),
    ("Samsung will manufacture Tesla's AI6 chips at its Texas plant.", ("Samsung Electronics", "suppliesTo", "Tesla")),
    ("Foxconn assembles servers for Nvidia in Mexico.", ("Foxconn", "suppliesTo", "Nvidia")),
    ("Tepora Cloud will host the open-weight models of Mavrik AI.", ("Tepora Cloud", "suppliesTo", "Mavrik AI")),
    (
        "Arm licenses its processor designs to companies including Apple and Qualcomm.",
        ("Arm", "suppliesTo", "Qualcomm"),
    ),
    ("Ford will use Mobileye's driver-assistance chips in its next pickup.", ("Mobileye", "suppliesTo", "Ford")),
    # disputes: hitting back, lashing out, pushing back, blocking a deal, criticism, opposition
    ("Arm hit back at Qualcomm on Tuesday.", ("Arm", "disputesWith", "Qualcomm")),
    ("OpenAI lashed out at Elon Musk in a blog post.", ("OpenAI", "disputesWith", "Elon Musk")),
    ("Meta pushed back against the European Commission's rules.", ("Meta", "disputesWith", "European Commission")),
    ("The FTC blocked Nvidia's purchase of Arm.", ("Federal Trade Commission", "disputesWith", "Nvidia")),
    (
        "Getty Images is at loggerheads with Stability AI over training data.",
        ("Getty Images", "disputesWith", "Stability AI"),
    ),
    ("Musk criticised OpenAI's plan to become a for-profit company.", ("Elon Musk", "disputesWith", "OpenAI")),
    # a product whose name begins with its maker's, the maker named elsewhere in the sentence
    (
        "G42 will run its services on Microsoft Azure, and Brad Smith, Microsoft's vice chair, will join its board.",
        ("Microsoft", "develops", "Microsoft Azure"),
    ),
    # a company's person; shares bought; "in which"; a deal noun hung on its amount
    ("Salesforce's Marc Benioff publicly questioned the claim.", ("Marc Benioff", "worksFor", "Salesforce")),
    ("SoftBank Group agreed to buy $2 billion of Intel shares.", ("SoftBank", "investsIn", "Intel")),
    (
        "Mistral AI, with which Microsoft partnered last year, raised money.",
        ("Microsoft", "partnersWith", "Mistral AI"),
    ),
    (
        "Last week Nebius signed a $17.4 billion, five-year contract to supply GPU capacity to Microsoft.",
        ("Nebius", "suppliesTo", "Microsoft"),
    ),
    # a product's apposition names its maker: "M, a Google tool"
    ("Circle to Search, a Google tool, reaches the S24 first.", ("Google", "develops", "Circle to Search")),
    # goods supplied or licensed to a company ("to" on the goods); a customer's share of revenue;
    # a company turned to, leaned on, picked or paid for goods; a company's goods shipped to another
    ("Axel Springer licenses its news archive to OpenAI.", ("Axel Springer", "suppliesTo", "OpenAI")),
    ("Dell accounted for a third of Nvidia's revenue in the quarter.", ("Nvidia", "suppliesTo", "Dell")),
    ("Snap turned to Google for extra cloud capacity.", ("Google", "suppliesTo", "Snap")),
    ("Apple picked Broadcom to design its server chips.", ("Broadcom", "suppliesTo", "Apple")),
    ("Uber leans on Oracle for its databases.", ("Oracle", "suppliesTo", "Uber")),
    ("Samsung will pay Perplexity to use its search engine.", ("Perplexity", "suppliesTo", "Samsung Electronics")),
    ("Broadcom's networking chips are shipped to Meta.", ("Broadcom", "suppliesTo", "Meta")),
    # rivals: battling or vying for the same buyers, head to head, a price war, a threat to
    ("Samsung and Micron are battling for memory orders.", ("Samsung Electronics", "competesWith", "Micron")),
    ("Google and Microsoft vie for customers.", ("Google", "competesWith", "Microsoft")),
    ("Alibaba is going head-to-head with Tencent in cloud.", ("Alibaba", "competesWith", "Tencent")),
    ("Baidu and Tencent are locked in a price war.", ("Baidu", "competesWith", "Tencent")),
    ("Lenovo poses a threat to Dell in servers.", ("Lenovo", "competesWith", "Dell")),
    ("Nokia, which has long fought Ericsson for 5G contracts, cut jobs.", ("Nokia", "competesWith", "Ericsson")),
    ("AMD is taking the fight to Intel in laptops.", ("AMD", "competesWith", "Intel")),
    ("Groq's chips compete with Nvidia's in inference.", ("Groq", "competesWith", "Nvidia")),
    ("Graphcore, whose processors compete with Nvidia GPUs, was sold.", ("Graphcore", "competesWith", "Nvidia")),
    # partners: teaming up, tying up, a tie-up, working or developing together, joining hands
    ("Oracle teams up with Nvidia on sovereign cloud", ("Oracle", "partnersWith", "Nvidia")),
    ("Bharti Airtel has tied up with Google to sell cloud services.", ("Bharti Airtel", "partnersWith", "Google")),
    ("Meta and Qualcomm inked a tie-up on smart glasses.", ("Meta", "partnersWith", "Qualcomm")),
    ("Sony and Honda are working together on an electric car.", ("Sony", "partnersWith", "Honda")),
    ("Nokia and Microsoft are jointly developing network software.", ("Nokia", "partnersWith", "Microsoft")),
    ("Infosys joined hands with Nvidia to build AI agents.", ("Infosys", "partnersWith", "Nvidia")),
    # disputes: barbs traded, an objection to a company's plan, mockery, a quarrel
    ("Oracle and Microsoft traded barbs over cloud pricing.", ("Oracle", "disputesWith", "Microsoft")),
    ("Epic Games objected to Apple's new fees.", ("Epic Games", "disputesWith", "Apple")),
    ("Uber mocked Lyft in a new advert.", ("Uber", "disputesWith", "Lyft")),
    ("Tesla and BYD are locked in a bitter quarrel over patents.", ("Tesla", "disputesWith", "BYD")),
    # ownership: control, "part of" a group, a group's named business
    ("Mobileye, controlled by Intel, raised its forecast.", ("Mobileye", "subsidiaryOf", "Intel")),
    ("Tata Electronics is part of the Tata Group.", ("Tata Electronics", "subsidiaryOf", "Tata Group")),
    ("Naver Cloud is a unit of Naver.", ("Naver Cloud", "subsidiaryOf", "Naver")),
    # use: rolled out to some of a company's engineers; a product featuring a model; leaning on,
    # turning to a model
    ("Siemens has rolled out GitHub Copilot to 5,000 of its engineers.", ("Siemens", "uses", "GitHub Copilot")),
    ("The Galaxy S24 features Gemini Nano.", ("Galaxy S24", "uses", "Gemini Nano")),
    ("Canva leans on Claude for its design assistant.", ("Canva", "uses", "Claude")),
    ("Zalando turned to GPT-4 to power its shopping assistant.", ("Zalando", "uses", "GPT-4")),
    # a trigger the tokenizer split at its hyphen is read whole: "the start-up behind", "a tie-up"
    (
        "Hugging Face bought Pollen Robotics, the French start-up behind the Reachy 2 robot.",
        ("Pollen Robotics", "develops", "Reachy 2"),
    ),
    # a company name before a product noun in apposition: "X, a Perplexity browser"
    ("Comet, a Perplexity browser, now runs on more Android phones.", ("Perplexity", "develops", "Comet")),
    # "its" in a relative clause on a possessed noun is that noun's owner
    (
        "Jabil will assemble AMD's rack systems, which are built around its Instinct accelerators.",
        ("AMD", "develops", "Instinct"),
    ),
    # a product written out in lower case; a product name across a hyphen
    ("The startup rents time on Google's tensor processing units.", ("Google", "develops", "TPU")),
    ("xAI wired its cluster with Nvidia's Spectrum-X networking platform.", ("Nvidia", "develops", "Spectrum-X")),
    # a weak "develops" read off working together on a chip does not hide a use said plainly
    (
        "Amazon will put another $4 billion into Anthropic. Anthropic will use AWS Trainium chips to train "
        "its next models. Engineers at Annapurna Labs work with Anthropic on later versions of the chip.",
        ("Anthropic", "uses", "AWS Trainium"),
    ),
    # a name before "-powered" or "-based" is what the owner of the modified noun uses
    ("Klarna's GPT-4-powered assistant now answers most of its chats.", ("Klarna", "uses", "GPT-4")),
    ("Uber's Gemini-based support bot answers riders.", ("Uber", "uses", "Gemini")),
    # a company name the tagger took for the verb of its sentence ("to spotify")
    ("Spotify criticised Apple for blocking its app updates.", ("Spotify", "disputesWith", "Apple")),
    ("Uber partnered with Waymo in Austin.", ("Uber", "partnersWith", "Waymo")),
    # rivals: "X's rival Y" (the tagger makes "rival" an adjective), being listed or seen
    # as a competitor
    ("OpenAI's rival Anthropic raised more money.", ("Anthropic", "competesWith", "OpenAI")),
    ("Microsoft now lists OpenAI as a competitor.", ("Microsoft", "competesWith", "OpenAI")),
    # a deal to buy from a supplier, the parser making the infinitive a relative clause
    ("Meta signed a deal to buy cloud capacity from Oracle.", ("Oracle", "suppliesTo", "Meta")),
    # use: a chip name the tagger made an adjective; packed with chips; serving from; brought
    # to (the parser's "to" a dative)
    ("Rufus, Amazon's shopping assistant, runs on Inferentia chips.", ("Rufus", "uses", "AWS Inferentia")),
    ("xAI's Colossus supercomputer is packed with Nvidia H100 chips.", ("Colossus", "uses", "H100")),
    ("Character.AI serves its chatbots from Google Cloud TPUs.", ("Character.AI", "uses", "TPU")),
    ("Apple and OpenAI signed a deal to bring ChatGPT to Siri.", ("Siri", "uses", "ChatGPT")),
    # disputes: getting into one; one breaking out or erupting "between" the two
    ("Intel and AMD got into a war of words over benchmark claims.", ("Intel", "disputesWith", "AMD")),
    ("A war of words broke out between Cohere and Mistral AI over pricing.", ("Cohere", "disputesWith", "Mistral AI")),
    ("A bitter dispute has erupted between Oracle and SAP.", ("Oracle", "disputesWith", "SAP")),
    # "teams up" tagged a noun, its "with" hung on the particle
    ("BMW teams up with Google on navigation.", ("BMW", "partnersWith", "Google")),
    # a company name the parser ran into a fronted month; "put out" a model
    ("In March Databricks released DBRX.", ("Databricks", "develops", "DBRX")),
    ("Alibaba put out Qwen 3 in April.", ("Alibaba", "develops", "Qwen3")),
    # a fronted "in" phrase frames the clause like "under": its subject is a side
    ("In a partnership with Nvidia, Foxconn will build servers in Texas.", ("Foxconn", "partnersWith", "Nvidia")),
]


# Cases the full extractor (rules + trained model) gets wrong, by sentence start (or
# "predicate:sentence start" where the sentence has other cases), and why.
MODEL_MISSES: dict[str, str] = {
    "Mistral AI has raised $640 million. Gene": "the round's investors are named a sentence after the company; "
    "candidates are pairs within one sentence",
    "Perplexity, the search startup, has rais": "investors listed after the round, through a description; the "
    "model does not trust the rule's cross-clause link",
    "Microsoft sold its stake in OpenAI.": "the rules see the sale and drop it; the model reads 'stake in' as "
    "an investment (few sold-stake negatives in the corpus)",
    "Arm hit back at Qualcomm on Tuesday.": "the rules find the retort; the model (stop 51, calibrated on fresh "
    "writing as well) scores it 0.544, under the threshold of 0.55",
    "uses:Character.AI serves its chatbots from Go": "the model (stop 51, calibrated on fresh writing as well) "
    "scores the use of the cloud's TPUs 0.505, under the threshold of 0.55",
    "disputesWith:Epic's fight against Apple for lower app": "the model reads a fight 'against' a company as a suit (c13 "
    "taught it many suits brought against one), though the rules say dispute",
}


def _model_cases(table):
    out = []
    for text, triple in table:
        why = MODEL_MISSES.get(f"{triple[1]}:{text[:40]}") or MODEL_MISSES.get(text[:40])
        marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
        out.append(pytest.param(text, triple, marks=marks, id=f"{triple[1]}:{text[:40]}"))
    return out


@pytest.mark.parametrize("text,triple", FOUND, ids=[f"{t[1]}:{t[0][:40]}" for t in FOUND])
def test_rules_find(rules_triples, text, triple):
    assert _has(rules_triples(text), *triple), rules_triples(text)


@pytest.mark.parametrize("text,triple", _model_cases(FOUND))
def test_relation_found(triples, text, triple):
    assert _has(triples(text), *triple), triples(text)


ABSENT = [
    # the head of a function is on the company's staff, not its leader
    (
        "Dana Ortiz, Lumora's head of sales and partnerships, said the deal would close.",
        ("Dana Ortiz", "leads", "Lumora"),
    ),
    (
        "Maya Lund, Lumora's president of global affairs, said the models would be shared.",
        ("Maya Lund", "leads", "Lumora"),
    ),
    # a bare title belongs to no company whose clause is only coordinated with the name's
    (
        "Oracle agreed on Monday to buy a stake in Arm, and a week later chief executive Rene Haas told staff to expect cuts.",
        ("Rene Haas", "leads", "Oracle"),
    ),
    # the alternative not taken
    ("Kivu Labs trains its models on Tamu chips rather than on Nvidia's H100.", ("Kivu Labs", "uses", "H100")),
    ("Kivu Labs uses Tamu-4 rather than Iroko-2 in its assistant.", ("Kivu Labs", "uses", "Iroko-2")),
    ("Kivu Labs buys chips from Vantor Silicon rather than from Nvidia.", ("Nvidia", "suppliesTo", "Kivu Labs")),
    # a battle for customers is competition, not a dispute
    ("Nvidia and AMD are locked in a battle for data-centre customers.", ("Nvidia", "disputesWith", "AMD")),
    # a legal battle is not competition
    ("Nvidia and AMD are locked in a legal battle over patents.", ("Nvidia", "competesWith", "AMD")),
    (
        "Microsoft's battle with the FTC for approval of the deal dragged on.",
        ("Microsoft", "competesWith", "Federal Trade Commission"),
    ),
    ("Epic's fight against Apple for lower app-store fees continues.", ("Epic", "competesWith", "Apple")),
    # a name inside the copula's complement holds no role
    ("Anthropic's founders are OpenAI alumni.", ("OpenAI", "founded", "Anthropic")),
    ("Quorra's chief rival is a Google spin-off.", ("Google", "competesWith", "Quorra")),
    # a noun that names its own other side is not a contrast with the subject
    ("Unlike Nvidia's rivals AMD and Intel, TSMC does not design chips.", ("AMD", "competesWith", "TSMC")),
    # negation
    ("Microsoft did not acquire OpenAI.", ("Microsoft", "acquires", "OpenAI")),
    ("Apple denied that it would invest in OpenAI.", ("Apple", "investsIn", "OpenAI")),
    ("Meta has no plans to acquire Mistral AI.", ("Meta", "acquires", "Mistral AI")),
    ("Apple ruled out buying Perplexity.", ("Apple", "acquires", "Perplexity")),
    (
        "Microsoft hired the founders rather than buy Inflection AI outright.",
        ("Microsoft", "acquires", "Inflection AI"),
    ),
    ("Microsoft sold its stake in OpenAI.", ("Microsoft", "investsIn", "OpenAI")),
    ("SoftBank is no longer an investor in OpenAI.", ("SoftBank", "investsIn", "OpenAI")),
    ("Regulators blocked Nvidia's acquisition of Arm.", ("Nvidia", "acquires", "Arm")),
    # hedged relations are not asserted
    (
        "Apple is in talks to acquire Perplexity, according to people familiar with the matter.",
        ("Apple", "acquires", "Perplexity"),
    ),
    ("Meta is considering an investment in Mistral AI.", ("Meta", "investsIn", "Mistral AI")),
    ("Microsoft could acquire Inflection AI next year.", ("Microsoft", "acquires", "Inflection AI")),
    # wrong types
    ("OpenAI developed a partnership with Microsoft.", ("OpenAI", "develops", "Microsoft")),
    # ellipsis must not pair the possessors
    (
        "The deal follows Microsoft's deal with Inflection AI and Google's with Character.AI.",
        ("Google", "partnersWith", "Microsoft"),
    ),
    # "build X into Y" is integration, not development
    ("Apple decided to build ChatGPT into its operating system.", ("Apple", "develops", "ChatGPT")),
    # a share is not ownership of the whole
    ("Google owns about 14% of Anthropic.", ("Anthropic", "subsidiaryOf", "Google")),
    # an employer named inside an apposition did not found what the person started
    ("Andrej Karpathy, a former OpenAI researcher, started Eureka Labs.", ("OpenAI", "founded", "Eureka Labs")),
    # self-relation
    ("OpenAI partnered with OpenAI.", ("OpenAI", "partnersWith", "OpenAI")),
    ("Google and Anthropic are among the companies competing with OpenAI.", ("Google", "competesWith", "Anthropic")),
    # a title or a stock exchange is not a company name
    (
        "IC Bus is a wholly-owned subsidiary of Navistar (NYSE: NAV).",
        ("IC Bus", "subsidiaryOf", "New York Stock Exchange"),
    ),
    # an alliance noun before the pair is about some other arrangement
    (
        "As part of the expanded collaboration, Anthropic named Amazon Web Services its primary training partner.",
        ("Amazon Web Services", "partnersWith", "Anthropic"),
    ),
    # taking part in something that is not a funding round
    ("SoftBank invested in OpenAI in 2024. Microsoft did not take part.", ("Microsoft", "investsIn", "OpenAI")),
    # underwriters leading a share offering are not investors
    (
        "CoreWeave raised $1.5 billion in its listing. Morgan Stanley and Goldman Sachs led the offering.",
        ("Morgan Stanley", "investsIn", "CoreWeave"),
    ),
    # a deal that came to nothing
    ("Nvidia's purchase of Arm fell through.", ("Nvidia", "acquires", "Arm")),
    ("Meta tried to buy Perplexity but was rebuffed.", ("Meta", "acquires", "Perplexity")),
    # the title words before a name are that person's alone
    (
        "Groq's founder and chief executive Jonathan Ross, its president Sunny Madra and several engineers will join Nvidia.",
        ("Sunny Madra", "founded", "Groq"),
    ),
    # "chief" modifying another role is not the top job
    ("Former OpenAI chief scientist Ilya Sutskever left in May.", ("Ilya Sutskever", "leads", "OpenAI")),
    # a possessor of what is done with a product does not make it
    ("Apple's ChatGPT integration will go ahead regardless.", ("Apple", "develops", "ChatGPT")),
    # a developer folding its own model into a product is not a user of it
    ("Google is folding its Gemini models into Workspace.", ("Google", "uses", "Gemini")),
    # a list member is not paired with the list's other members
    ("Nvidia, AMD and Intel compete with each other.", ("Nvidia", "investsIn", "AMD")),
    # a possessor does not take its own name's slot; former staff; goods bought; a
    # name that says its own maker; a clause on the last list member; a lawsuit's accusations
    ("OpenAI is competing with Alphabet's Google.", ("OpenAI", "competesWith", "Alphabet")),
    ("Anthropic was founded by former OpenAI researchers.", ("OpenAI", "founded", "Anthropic")),
    ("Anthropic buys Nvidia hardware through Azure.", ("Anthropic", "acquires", "Nvidia")),
    (
        "Claude Code competes with OpenAI's Codex and GitHub Copilot, which Microsoft sells.",
        ("OpenAI", "develops", "GitHub Copilot"),
    ),
    (
        "OpenAI is competing with Google, Meta and Anthropic, which is backed by Amazon.",
        ("Amazon", "investsIn", "Google"),
    ),
    ("Reddit sued Anthropic, accusing the Claude maker of scraping its site.", ("Reddit", "disputesWith", "Anthropic")),
    # taking something other than money from a company is not an investment
    ("Intel took market share from AMD.", ("AMD", "investsIn", "Intel")),
    # co-leaders of a round are co-investors, not partners
    (
        "Databricks raised $10 billion. Andreessen Horowitz, DST Global and GIC co-led the deal.",
        ("Andreessen Horowitz", "partnersWith", "DST Global"),
    ),
    # the apposition describes the last list member only
    (
        "Nvidia and Salesforce Ventures, the investment arm of Salesforce, joined.",
        ("Nvidia", "subsidiaryOf", "Salesforce"),
    ),
    # the buyer of a company acquires it; people hired from a company are not its goods;
    # the alternative not taken
    (
        "Halvorsen Robotics emerged as the likely buyer of Brightwater Cloud.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    (
        "Halvorsen Robotics hired engineers from Brightwater Cloud.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    (
        "Halvorsen Robotics trains its models on its own chips rather than on chips from Brightwater Cloud.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    # people lost to a rival, a chief executive who came from a company, staff moved: no rivalry, no supply
    (
        "Apple has since lost several researchers to Halvorsen Robotics.",
        ("Apple", "competesWith", "Halvorsen Robotics"),
    ),
    ("Kaltrek's chief executive came from Yelder Labs.", ("Yelder Labs", "suppliesTo", "Kaltrek")),
    (
        "Halvorsen Robotics moved its staff to Brightwater Cloud after the merger.",
        ("Brightwater Cloud", "suppliesTo", "Halvorsen Robotics"),
    ),
    # a customer's name before the product is not its maker
    ("The Pentagon ChatGPT contract was signed on Monday.", ("US Department of Defense", "develops", "ChatGPT")),
    ("The Walmart ChatGPT app lets shoppers ask questions.", ("Walmart", "develops", "ChatGPT")),
    # one name NER split in two; membership is not ownership; people lost, films or a focus moved, a
    # meeting with a bank: no rivalry, no supply
    ("Lockheed Martin builds fighter jets.", ("Lockheed", "develops", "Martin")),
    ("Microsoft is part of the Frontier Model Forum.", ("Microsoft", "subsidiaryOf", "Frontier Model Forum")),
    ("Google belongs to the Partnership on AI.", ("Google", "subsidiaryOf", "Partnership on AI")),
    ("OpenAI lost its chief scientist to Anthropic.", ("OpenAI", "competesWith", "Anthropic")),
    ("Disney moved its films to Netflix.", ("Netflix", "suppliesTo", "Disney")),
    ("Microsoft shifted its focus to OpenAI.", ("OpenAI", "suppliesTo", "Microsoft")),
    ("Nvidia ran the numbers with Goldman Sachs.", ("Goldman Sachs", "suppliesTo", "Nvidia")),
    ("Meta faces the Federal Trade Commission in court.", ("Meta", "competesWith", "Federal Trade Commission")),
    # stock that trails an index; growth made possible; goods kept out; a driver pushed out
    ("Nvidia shares trailed the Nasdaq on Friday.", ("Nvidia", "competesWith", "Nasdaq")),
    ("Nvidia's growth was made possible by Microsoft.", ("Microsoft", "suppliesTo", "Nvidia")),
    ("Amazon blocked Nvidia chips from its data centres.", ("Amazon", "disputesWith", "Nvidia")),
    ("Nvidia pushed out a new driver for Microsoft's Windows.", ("Nvidia", "disputesWith", "Microsoft")),
    ("Microsoft bought OpenAI's shares last year.", ("OpenAI", "suppliesTo", "Microsoft")),
    # review of stop 48's rules: stock and market value trail, talent competed for, a bank's
    # customer, visitors hosted, forecasts made, a benchmark used, a list added to, production
    # pushed back, an account blocked, a cyberattack, where a feature ships
    ("Meta trailed the Nasdaq after its earnings.", ("Meta", "competesWith", "Nasdaq")),
    ("Apple trailed Microsoft in market capitalisation.", ("Apple", "competesWith", "Microsoft")),
    (
        "Microsoft and Google compete for talent with hedge funds such as Citadel.",
        ("Microsoft", "competesWith", "Citadel"),
    ),
    ("Microsoft wants to sign Google's customers to Azure.", ("Google", "suppliesTo", "Microsoft")),
    ("IBM hosted the chief executive of Nvidia at its Think conference.", ("IBM", "suppliesTo", "Nvidia")),
    ("Goldman Sachs produced a valuation of Anthropic.", ("Goldman Sachs", "suppliesTo", "Anthropic")),
    ("Amazon's forecasts were made by Goldman Sachs.", ("Goldman Sachs", "suppliesTo", "Amazon")),
    ("Microsoft used Google's models as a benchmark in its paper.", ("Google", "suppliesTo", "Microsoft")),
    ("Apple put Samsung's chips under the microscope in a teardown.", ("Samsung Electronics", "suppliesTo", "Apple")),
    ("Time magazine added ChatGPT to its list of best inventions.", ("Time", "uses", "ChatGPT")),
    ("Intel pushed back production at TSMC's Arizona plant.", ("Intel", "disputesWith", "TSMC")),
    ("Microsoft pushed out a patch at Google's request.", ("Microsoft", "disputesWith", "Google")),
    ("Elon Musk blocked OpenAI's account on X.", ("Elon Musk", "disputesWith", "OpenAI")),
    ("Midnight Blizzard attacked Microsoft's email systems.", ("Midnight Blizzard", "disputesWith", "Microsoft")),
    ("Grok, a Tesla feature, arrived in cars in July.", ("Tesla", "develops", "Grok")),
    # a product rolled out to a company's own staff is not its own
    ("Lufthansa has rolled out Gemini to its cabin crew.", ("Lufthansa", "develops", "Gemini")),
    # rolled out to a company's developers: the maker's release
    ("Google rolled out Gemini 2.5 to its developers.", ("Google", "uses", "Gemini 2.5 Pro")),
    # second review: a maker testing its own model, customers' drivers, a product extended to
    # another product, a site built for models, a name modifying a noun, a person hired away,
    # market share, the seller's shares, a pledge
    ("OpenAI is testing GPT-5 with a small group of users.", ("OpenAI", "uses", "GPT-5")),
    ("Tesla rolled out FSD v13 to drivers in China.", ("Tesla", "uses", "Full Self-Driving")),
    ("Microsoft extended Copilot to Teams and Outlook.", ("Microsoft", "uses", "Microsoft Copilot")),
    ("Meta's Hyperion data center was built by Entergy for AI models.", ("Entergy", "suppliesTo", "Meta")),
    ("OpenAI's Elon Musk problem grew.", ("Elon Musk", "worksFor", "OpenAI")),
    ("Meta hired Apple's Ruoming Pang last month.", ("Ruoming Pang", "worksFor", "Apple")),
    ("AMD took Intel's market share in server chips.", ("AMD", "investsIn", "Intel")),
    ("Nvidia bought SoftBank's shares in Arm.", ("Nvidia", "investsIn", "SoftBank")),
    ("Oracle, to which OpenAI pledged $300 billion, rose.", ("OpenAI", "investsIn", "Oracle")),
    # chips bought are goods, not a stake
    ("Amazon bought Nvidia chips for its data centres.", ("Amazon", "investsIn", "Nvidia")),
    # the name says its one maker, not every member of a list
    (
        "Microsoft and Nvidia will invest in Anthropic, which will buy compute on Microsoft Azure.",
        ("Nvidia", "develops", "Microsoft Azure"),
    ),
    # a stake or a loan is no supply; a noun in another object's phrase or in an amount is not the
    # verb subject's role; a possessor does not reach a name of another phrase; staff are not makers;
    # a consortium, a partner company, a court fight are no ownership or rivalry
    ("Intel sold its stake in Mobileye to Brookfield.", ("Intel", "suppliesTo", "Brookfield")),
    ("SoftBank turned to Mizuho for a bridge loan.", ("Mizuho", "suppliesTo", "SoftBank")),
    ("Nvidia made a big bet on CoreWeave's business.", ("Nvidia", "subsidiaryOf", "CoreWeave")),
    ("Microsoft makes up about a fifth of CoreWeave's business.", ("Microsoft", "subsidiaryOf", "CoreWeave")),
    ("Tencent's assistant runs on its own Hunyuan models and DeepSeek-R1.", ("Tencent", "develops", "DeepSeek-R1")),
    ("Petrobras is rolling out ChatGPT Enterprise to its engineers.", ("Petrobras", "develops", "ChatGPT Enterprise")),
    ("Mistral AI is part of a consortium with Nvidia.", ("Mistral AI", "subsidiaryOf", "Nvidia")),
    ("OpenAI, a Microsoft partner company, raised money.", ("OpenAI", "subsidiaryOf", "Microsoft")),
    ("Google and Microsoft are fighting over the contract in court.", ("Google", "competesWith", "Microsoft")),
    ("Apple picked Google over Anthropic.", ("Anthropic", "suppliesTo", "Apple")),
    ("Honda turned to Nissan for a merger.", ("Nissan", "suppliesTo", "Honda")),
    ("Apple leaned on the European Commission to drop the case.", ("European Commission", "suppliesTo", "Apple")),
    # a regulator is no customer, rival or owner
    (
        "Google provided its search data to the Justice Department under a court order.",
        ("Google", "suppliesTo", "United States Department of Justice"),
    ),
    ("Microsoft fought the FTC for months over the deal.", ("Microsoft", "competesWith", "Federal Trade Commission")),
    # allies battling over a deal are no rivals; developers a product is rolled out to are not its staff
    ("Microsoft and OpenAI battled for months over OpenAI's restructuring.", ("Microsoft", "competesWith", "OpenAI")),
    ("Apple rolled out iOS 18 to its developers for beta testing.", ("Apple", "uses", "iOS 18")),
    ("Nvidia is part of the Dow Jones Industrial Average.", ("Nvidia", "subsidiaryOf", "Dow Jones")),
    # "its" in a relative clause on a possessed noun is not the main clause's subject
    (
        "Jabil will assemble AMD's rack systems, which are built around its Instinct accelerators.",
        ("Jabil", "develops", "Instinct"),
    ),
    # a model an owner's product is powered by is not the owner's own
    ("Klarna's GPT-4-powered assistant now answers most of its chats.", ("Klarna", "develops", "GPT-4")),
    # ... nor are the owner's rivals or plans what it powers; a likeness is no mention
    ("Google's Gemini-powered rivals include Samsung.", ("Google", "uses", "Gemini")),
    ("The Claude-like chatbot from Alibaba launched.", ("Alibaba", "develops", "Claude")),
    # an event packed with news is no machine packed with chips
    ("Nvidia's GTC keynote was packed with Blackwell news.", ("Nvidia", "uses", "Blackwell")),
    # a third party that calls one company another's rival is no rival of either
    ("Forrester cites Google as a rival to AWS.", ("Google", "competesWith", "Forrester")),
    # a phone "of" a chipmaker is one its chips are in
    ("The Galaxy S25, a Qualcomm phone, sold well.", ("Qualcomm", "develops", "Galaxy S25")),
]


@pytest.mark.parametrize("text,triple", ABSENT, ids=[f"not-{t[1]}:{t[0][:40]}" for t in ABSENT])
def test_rules_reject(rules_triples, text, triple):
    assert not _has(rules_triples(text), *triple)


@pytest.mark.parametrize("text,triple", _model_cases(ABSENT))
def test_relation_absent(triples, text, triple):
    assert not _has(triples(text), *triple)


def test_hedged_relation_kept_with_lower_confidence(extractor):
    ex = extractor.extract(Article(text="Apple is in talks to acquire Perplexity."))
    hedged = [r for r in ex.relations if r.predicate == "acquires"]
    assert hedged and all(r.hedged for r in hedged)
    plain = extractor.extract(Article(text="Apple acquired Perplexity."))
    assert max(r.confidence for r in hedged) < min(r.confidence for r in plain.relations if r.predicate == "acquires")


def test_relation_carries_evidence_amount_and_date(extractor):
    text = "Shares rose on Monday. Microsoft invested $10 billion in OpenAI in January 2023."
    ex = extractor.extract(Article(text=text))
    (rel,) = [r for r in ex.relations if r.predicate == "investsIn"]
    assert rel.sentence == "Microsoft invested $10 billion in OpenAI in January 2023."
    assert text[rel.start : rel.end].strip() == rel.sentence
    assert rel.amount == "$10 billion"
    assert rel.date_text == "January 2023"
    assert 0.0 < rel.confidence <= 1.0


def test_symmetric_relation_emitted_once_per_sentence(extractor):
    ex = extractor.extract(
        Article(
            text="Microsoft and OpenAI extended their partnership, and the partnership between OpenAI and Microsoft grew."
        )
    )
    rels = [r for r in ex.relations if r.predicate == "partnersWith"]
    assert len(rels) == 1


@pytest.mark.xfail(strict=True, reason="ellipsis: 'and Nvidia up to $10 billion' has no verb of its own")
def test_gapped_coordination(triples):
    found = triples("Microsoft will invest up to $5 billion in Anthropic and Nvidia up to $10 billion.")
    assert ("Nvidia", "investsIn", "Anthropic") in found


def test_role_noun_after_an_aim_is_the_subjects_and_hedged(triples, rules_triples):
    # "aims to become a rival": the role is the subject's, stated as an aim
    text = "Halvorsen Robotics aims to become a rival to Brightwater Cloud."
    for found in (rules_triples, triples):
        assert _has(found(text, include_hedged=True), "Halvorsen Robotics", "competesWith", "Brightwater Cloud")
        assert not _has(found(text), "Halvorsen Robotics", "competesWith", "Brightwater Cloud")


def test_mis_tagged_verb(triples):
    # the small model tags "competes" as a noun after a sentence-initial name (and the
    # name as its adjective); the lexicon reads that parse too
    assert _has(triples("Anthropic competes with OpenAI and Google."), "Anthropic", "competesWith", "OpenAI")


def test_mis_tagged_verb_rules_alone(rules_triples):
    assert _has(rules_triples("Anthropic competes with OpenAI and Google."), "Anthropic", "competesWith", "OpenAI")


@pytest.mark.xfail(
    strict=True, reason="gazetteer types Instagram and YouTube as Product; subsidiaryOf needs an Organization"
)
def test_product_typed_subsidiary(triples):
    assert ("Instagram", "subsidiaryOf", "Meta") in triples("Instagram is owned by Meta.")


def test_plural_description(triples):
    found = triples("Google met Samsung in Seoul. The phones follow an expanded partnership between the two companies.")
    assert _has(found, "Google", "partnersWith", "Samsung Electronics")


# Which rule made a relation: the "rule" of the extractor's record behind it
RULES = [
    ("Microsoft acquired GitHub in 2018.", ("Microsoft", "acquires", "GitHub"), "trigger:acquire"),
    ("Anthropic chief executive Dario Amodei spoke on Monday.", ("Dario Amodei", "leads", "Anthropic"), "title"),
    (
        "Databricks raised $500 million. Thrive Capital led the round.",
        ("Thrive Capital", "investsIn", "Databricks"),
        "round",
    ),
    ("OpenAI's GPT-4 impressed many researchers.", ("OpenAI", "develops", "GPT-4"), "possessive"),
    ("The lab trains on Nvidia H100 GPUs.", ("Nvidia", "develops", "H100"), "maker"),
    (
        "Google met Samsung in Seoul. The phones follow an expanded partnership between the two companies.",
        ("Samsung Electronics", "partnersWith", "Google"),
        "group",
    ),
    (
        "Microsoft is making an investment in OpenAI, extending a partnership that began in 2019.",
        ("Microsoft", "partnersWith", "OpenAI"),
        "anaphoric",
    ),
    (
        "Character.AI said Dominic Perella would serve as interim chief executive.",
        ("Dominic Perella", "leads", "Character.AI"),
        "implicit_role",
    ),
    (
        "Satya Nadella is the chief executive of Microsoft. He will be replaced by Amy Hood.",
        ("Amy Hood", "leads", "Microsoft"),
        "succession",
    ),
    ("Disney, Universal and Warner Bros. Discovery sued Midjourney in June.", ("Disney", "sues", "Midjourney"), "list"),
]


@pytest.mark.parametrize("text,triple,rule", RULES, ids=[r[2] for r in RULES])
def test_relation_names_its_rule(rules_nlp, text, triple, rule):
    doc = rules_nlp(text)
    mentions = doc._.aikg_mentions
    found = {}
    for r in doc._.aikg_relations:
        key = (mentions[r["s"]]["name"], r["p"], mentions[r["o"]]["name"])
        found[key] = r["rule"]
        if r["p"] in SYM:
            found[(key[2], key[1], key[0])] = r["rule"]
    assert found.get(triple) == rule


def test_every_record_has_a_rule_of_a_registered_pass(rules_nlp):
    from ingest.relations import DOCUMENT_PASSES, SENTENCE_PASSES, TOKEN_PASSES

    names = {n for n, _ in (*TOKEN_PASSES, *SENTENCE_PASSES, *DOCUMENT_PASSES)}
    rules = [r["rule"] for text, _, _ in RULES for r in rules_nlp(text)._.aikg_relations]
    assert rules and all(r.split(":")[0] in names for r in rules)
    assert {r.split(":")[0] for r in rules} == names


def test_a_company_does_not_use_a_product_named_after_it(triples):
    # the rules read "serves X from Azure" as use; a product named after the company is its own
    found = triples("Microsoft serves Copilot from Azure data centres.")
    assert ("Microsoft", "uses", "Microsoft Azure") not in found, found
