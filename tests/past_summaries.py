"""Invented past summaries in the shapes archives hold them (written for these tests; no real unit, no real text).

- ``ONE_PARAGRAPH``: a township union's annual summary whose body is one paragraph (headings inline), whose unit is
  a placeholder (「zz乡工会」, as template sites and redacted archives write it) and whose next-year part has a heading
  without a plans word that runs into its text (「五、接续奋斗再出发2025年，…」): the parser reads it as body.
- ``TWO_PIECES``: a file holding two summaries (a collection page), the second one the unit's.
"""

ONE_PARAGRAPH = (
    "zz乡工会2024年工作总结\n"
    "2024年，zz乡工会在乡党委和县总工会的领导下，紧扣服务职工这条主线，各项工作稳步推进，现将全年工作总结如下。"
    "一、建会入会扎实推进全年新建非公企业工会5个，新发展会员168名，其中农民工会员97名。"
    "我们把建会工作同园区企业走访结合起来，逐家上门讲清入会的好处，让老板放心、职工安心。"
    "二、困难帮扶精准到户春节前后走访慰问困难职工42户，发放慰问金和物资折合4.6万元；"
    "为9名困难职工子女申请助学金1.8万元。帮扶台账一户一档，做到底数清、情况明、措施实。"
    "三、技能提升有声有色举办茶叶加工、电工等技能培训班6期，培训职工310人次，组织乡级技能比武1次，评出技术能手8名。"
    "培训班都放在农闲时节，课堂就设在车间和茶园地头，职工学得会、用得上。"
    "四、存在的不足基层工会干部多为兼职，业务能力参差不齐；部分小微企业工会活动开展较少。"
    "五、接续奋斗再出发2025年，乡工会将新建企业工会3个，力争新发展会员150名，办好技能培训班5期，让更多职工得实惠。\n"
    "zz乡工会\n"
    "2024年12月26日\n"
)

TWO_PIECES = (
    "柳湾街道工会2024年工作总结\n"
    "2024年，柳湾街道工会在街道党工委的领导下，围绕辖区企业做好服务。\n"
    "一、组织建设\n"
    "全年新建楼宇工会2个，新发展会员86名。\n"
    "二、职工服务\n"
    "开展夏送清凉活动4场，慰问一线职工520人次。\n"
    "柳湾街道工会\n"
    "2024年12月20日\n"
    "石岗镇工会2024年工作总结\n"
    "2024年，石岗镇工会在镇党委的领导下，扎实做好各项工作。\n"
    "一、维权帮扶\n"
    "走访困难职工25户，发放慰问金2.5万元。\n"
    "二、素质提升\n"
    "举办技能培训班3期，培训职工140人次。\n"
    "三、2025年工作打算\n"
    "新建企业工会2个，举办职工运动会1次。\n"
    "石岗镇工会\n"
    "2024年12月22日\n"
)
