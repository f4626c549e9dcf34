"""Export columns of the household register: one row per member, ID numbers masked."""

from django.utils.translation import pgettext, pgettext_lazy
from import_export import fields, resources

from civic import idnumbers
from civic.models import Resident


class HouseholdMemberResource(resources.ModelResource):
    """One row per member of a household. Column names are lazy so the header follows the active language;
    they carry a translation context because short words such as "Name" mean something else in other catalogues.

    The queryset must select_related("household", "household__region"); every value comes from those."""

    household_number = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Household number"))
    community = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Community"))
    address = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Address"))
    urban_rural = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Urban or rural"))
    relationship = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Relationship to head"))
    name = fields.Field(attribute="name", column_name=pgettext_lazy("spreadsheet column", "Name"))
    id_number = fields.Field(column_name=pgettext_lazy("spreadsheet column", "ID number"))
    sex = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Sex"))
    birth_date = fields.Field(attribute="birth_date", column_name=pgettext_lazy("spreadsheet column", "Date of birth"))
    phone = fields.Field(attribute="phone", column_name=pgettext_lazy("spreadsheet column", "Phone"))
    hukou_type = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Household registration type"))
    disability_category = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Disability category"))
    disability_grade = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Disability grade"))
    serious_illness = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Serious illness"))
    work_ability = fields.Field(column_name=pgettext_lazy("spreadsheet column", "Work ability"))

    class Meta:
        model = Resident
        fields = (
            "household_number",
            "community",
            "address",
            "urban_rural",
            "relationship",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "phone",
            "hukou_type",
            "disability_category",
            "disability_grade",
            "serious_illness",
            "work_ability",
        )
        export_order = fields

    def dehydrate_household_number(self, resident):
        return resident.household.number if resident.household_id else ""

    def dehydrate_community(self, resident):
        return resident.household.region.name if resident.household_id else ""

    def dehydrate_address(self, resident):
        return resident.household.address if resident.household_id else ""

    def dehydrate_urban_rural(self, resident):
        if not resident.household_id:
            return ""
        return (
            pgettext("spreadsheet value", "Rural")
            if resident.household.is_rural
            else pgettext("spreadsheet value", "Urban")
        )

    def dehydrate_relationship(self, resident):
        return resident.get_relationship_display()

    def dehydrate_id_number(self, resident):
        return idnumbers.mask(resident.id_number)

    def dehydrate_sex(self, resident):
        return resident.get_sex_display()

    def dehydrate_hukou_type(self, resident):
        return resident.get_hukou_type_display()

    def dehydrate_disability_category(self, resident):
        return resident.get_disability_category_display() if resident.disability_category else ""

    def dehydrate_disability_grade(self, resident):
        return resident.disability_grade if resident.disability_grade is not None else ""

    def dehydrate_serious_illness(self, resident):
        return pgettext("spreadsheet value", "Yes") if resident.serious_illness else pgettext("spreadsheet value", "No")

    def dehydrate_work_ability(self, resident):
        return resident.get_work_ability_display()
