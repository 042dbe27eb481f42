/**
 * Word lists for the rule-based PERSON detector: common US given names (men's and women's, as
 * frequent in US birth records) and frequent given names of the largest immigrant communities,
 * given names that are also everyday words, and capitalized words that are not a name alone.
 */

const GIVEN = `
aaron abigail adam adrian aidan aiden alan albert alex alexander alexandra alexis alice alicia alison allison alyssa amanda amber amelia amy
ana andre andrea andrew angela angelina anita ann anna anne annie anthony antonio ariana arthur ashley audrey austin ava barbara benjamin
bernard beth betty beverly blake bobby bonnie brad bradley brandon brenda brian brianna bridget brittany brooke bruce bryan caleb cameron
camila carl carla carlos carmen carol caroline carolyn carrie catherine charles charlie charlotte chelsea cheryl chloe chris christian
christina christine christopher cindy claire clara clarence claudia cody colin connor craig crystal curtis cynthia daisy dale daniel danielle
danny darren david dean deborah debra denise dennis derek diana diane dolores donald donna doris dorothy douglas dylan earl edward eileen elaine
eleanor elena elijah elizabeth ella ellen emily emma eric erica erik erin ethan eugene eva evan evelyn felicia fernando fiona florence frances
francis francisco gabriel gabriela gabrielle gail gary george gerald gina gloria gordon grace gregory hailey hannah harold harry hayden heather
helen henry holly howard hunter ian isaac isabel isabella jack jackson jacob jacqueline jake james jamie jane janet janice jasmine jason javier
jay jean jeffrey jenna jennifer jeremy jerry jesse jessica jill joan joanne joe joel john johnny jonathan jordan jorge jose joseph joshua joyce
juan judith judy julia julian julie justin kaitlyn karen katherine kathleen kathryn kathy katie kayla keith kelly kenneth kevin kimberly kyle
laura lauren lawrence leah leonard leslie lillian linda lisa logan lori louis louise lucas lucy luis luke lydia lynn madeline madison manuel
margaret maria marie marilyn mario marion marissa martha martin mary mason matthew megan melanie melissa michael michelle miguel mildred
mitchell molly monica morgan nancy natalie nathan nathaniel nicholas nicole noah norma olivia oscar owen pamela patricia patrick paul paula
peggy peter philip phillip rachel ralph randy raymond rebecca regina renee rhonda ricardo richard rita robert roberto robin rodney roger ronald
rosa ruby russell ruth ryan samantha samuel sandra sara sarah scott sean sebastian sergio seth shannon sharon shawn sheila shirley sofia sophia
stacy stanley stephanie stephen steven susan sydney tammy tanya taylor teresa terry theodore theresa thomas tiffany timothy tina todd tony
tracy travis tyler valerie vanessa veronica vicki victor victoria vincent virginia walter wanda wayne wendy william willie xavier yolanda
zachary zoe
aarav abdul abdullah adebayo adriana ahmad ahmed aisha akira alejandro ali alina amina amir amit ananya andrei anil anjali arjun ayesha
beatriz bogdan carmen chen chidi chinedu deepak diego dmitri elena emeka eduardo fatima fatuma farah hana haruto hassan hiroshi hong
hussein ibrahim igor ines irina ivan jamal javier jiho jin kavya kenji khadija kofi kwame lakshmi layla leila lucia luz malik mariam
marisol mateo mehmet mei min ming mohamed mohammad mohammed muhammad mustafa nadia natasha neha nikolai nkechi nomvula nour olga olumide omar
oksana pablo pedro pooja priya rafael rahul raj rajesh ramon ravi rosa sakura sanjay santiago sergei shreya sipho siddharth sunil svetlana
tariq thabo tomas valentina vijay vikram vladimir wei xin yan yasmin yerlan yong youssef yuki yusuf zainab zhang zeynep
aaliyah alejandra amara anders aria asher astrid aurora ayla brenda cedric cora darnell deshawn destiny dominique ebony eliana elias
everly ezekiel freya grayson hazel henrik hudson imani ingrid jada jalen jamila keisha kiara lamar lars latoya levi liam lincoln luca
luna magnus marcus maya mila naomi nia nora oliver penelope quinn reginald riley sanaa scarlett shanice stella sven tamika tanisha
terrell theo trevon tyrone violet willow wyatt zara zoey derrick
`;

/** Given names that are also common English words or month names: weaker evidence. */
const AMBIGUOUS = `
april art august autumn bill bob dawn faith frank grace hope ivy jack june joy mark may max pat rose summer will jay dean
`;

/** Capitalized words that are not names (sentence starts, salutation objects, places, roles, headings). */
const NOT_NAMES = `
a about after all also an and any are as at be because before best but by can could dear did do does during each emergency every everyone
for friend friends from good has have he her hello hi his how i if in is it its just let may me my no not now of on or our please she so
some thank thanks that the their then there these they this those to today tomorrow up us was we were what when where which while who why
will with would yes yesterday you your
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december
patient patients doctor doctors nurse name names date time team customer customers sir madam colleague colleagues staff family member members
client clients user users admin administrator support service services information summary report record records number account portal
hospital clinic center centre medical health care department pharmacy lab labs laboratory test tests result results order invoice payment
medication medications diagnosis history chief complaint assessment plan review attached subject status type total amount balance due
street avenue road drive lane court boulevard north south east west mount saint lake river county city state states united america american
university college school inc llc corp company group bank insurance unit floor suite room note notes regards sincerely signed unknown new old
jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun apt ste bldg
people operations office billing accounts payroll management administration desk help relations affairs financial finance security
compliance legal human resources front current preferred ordered replacement primary secondary previous former other full sex gender
agent representative manager director coordinator specialist technician assistant therapist pharmacist
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas
kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
st ave av blvd rd dr ln ct pl pkwy hwy cir ter trl sq way lane place terrace trail circle parkway highway square plaza
`;

const set = (words: string) => new Set(words.split(/\s+/).filter(Boolean));

export const GIVEN_NAMES: ReadonlySet<string> = set(GIVEN);
export const AMBIGUOUS_GIVEN_NAMES: ReadonlySet<string> = set(AMBIGUOUS);
export const NOT_NAMES_SET: ReadonlySet<string> = set(NOT_NAMES);
