using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Customers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "employees",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    we_com_user_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    mini_program_open_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_employees", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    company = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    phone = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    owner_employee_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    in_public_pool = table.Column<bool>(type: "bit", nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                    table.ForeignKey(
                        name: "fk_customers_employees_owner_employee_id",
                        column: x => x.owner_employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notification_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    employee_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    operation_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    channel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    customer_count = table.Column<int>(type: "int", nullable: false),
                    customer_names = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    customer_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    assigned_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    lock_owner = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    msg_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    last_error_code = table.Column<int>(type: "int", nullable: true),
                    last_error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_outbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_notification_outbox_employees_employee_id",
                        column: x => x.employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "customer_assignment_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    customer_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    from_employee_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    to_employee_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    assigned_by = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    channel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    operation_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_assignment_history", x => x.id);
                    table.ForeignKey(
                        name: "fk_customer_assignment_history_customers_customer_id",
                        column: x => x.customer_id,
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customer_assignment_history_employees_from_employee_id",
                        column: x => x.from_employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customer_assignment_history_employees_to_employee_id",
                        column: x => x.to_employee_id,
                        principalTable: "employees",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_customer_assignment_history_customer_id_assigned_at",
                table: "customer_assignment_history",
                columns: new[] { "customer_id", "assigned_at" });

            migrationBuilder.CreateIndex(
                name: "ix_customer_assignment_history_from_employee_id",
                table: "customer_assignment_history",
                column: "from_employee_id");

            migrationBuilder.CreateIndex(
                name: "ix_customer_assignment_history_operation_id",
                table: "customer_assignment_history",
                column: "operation_id");

            migrationBuilder.CreateIndex(
                name: "ix_customer_assignment_history_to_employee_id",
                table: "customer_assignment_history",
                column: "to_employee_id");

            migrationBuilder.CreateIndex(
                name: "ix_customers_created_at",
                table: "customers",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_customers_in_public_pool_created_at",
                table: "customers",
                columns: new[] { "in_public_pool", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_owner_employee_id_created_at",
                table: "customers",
                columns: new[] { "owner_employee_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_employees_we_com_user_id",
                table: "employees",
                column: "we_com_user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_created_at",
                table: "notification_outbox",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_employee_id_created_at",
                table: "notification_outbox",
                columns: new[] { "employee_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_operation_id_employee_id",
                table: "notification_outbox",
                columns: new[] { "operation_id", "employee_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_status_next_attempt_at",
                table: "notification_outbox",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_assignment_history");

            migrationBuilder.DropTable(
                name: "notification_outbox");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropTable(
                name: "employees");
        }
    }
}
